package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals one signer's envelopes in one epoch of one document (format in {@link Envelope}). What is
 * the same for all of them is done once, here: the subkey {@code HKDF(salt = document ID, IKM =
 * epoch key, info = label || signer key)}, the AES-GCM cipher and the signer's initialised Ed25519
 * {@link Signature}. Per envelope there remain the encryption, the envelope ID's SHA-256 and the
 * signature; of these the signature dominates (an Ed25519 signature costs the JDK 17 about as much
 * as encrypting 30 KiB), which is why a device seals a run of changes per envelope when it has
 * several pending ({@link Sealer}).
 *
 * <p>Nonces: {@code seq || 4 random bytes}. The subkey belongs to one signer in one epoch of one
 * document, and the caller hands out each sequence number once (docs/sealed.md, "Keys and nonces"),
 * so no nonce repeats under a subkey.
 *
 * <p>Not thread-safe: one writer per sealing thread and batch.
 */
final class EnvelopeWriter {
  private final DocumentId documentId;
  private final long epoch;
  private final MemberKeyPair signer;
  private final SecretKey subkey;
  private final Cipher cipher;
  private final Signature signature;

  EnvelopeWriter(DocumentId documentId, long epoch, byte[] epochKey, MemberKeyPair signer) {
    if (epoch < 1 || epoch > 0xffff_ffffL) {
      throw new IllegalArgumentException("epoch " + epoch + " out of range");
    }
    this.documentId = documentId;
    this.epoch = epoch;
    this.signer = signer;
    this.subkey =
        new SecretKeySpec(
            EnvelopeSeal.subkey(documentId, epochKey, signer.publicKey().signKey()), "AES");
    this.cipher = Aead.newCipher();
    this.signature = signer.newSignature();
  }

  /**
   * Seals {@code chunks} (Automerge change chunks, or one document chunk) as this signer's envelope
   * {@code seq}.
   */
  Envelope seal(long seq, byte[] chunks, SecureRandom random) {
    if (seq < 1) {
      throw new IllegalArgumentException("seq " + seq + " out of range");
    }
    byte[] nonce = new byte[Aead.NONCE_BYTES];
    for (int i = 0; i < 8; i++) {
      nonce[i] = (byte) (seq >>> (56 - 8 * i));
    }
    byte[] tail = new byte[Aead.NONCE_BYTES - 8];
    random.nextBytes(tail);
    System.arraycopy(tail, 0, nonce, 8, tail.length);
    int ciphertextLength = 1 + chunks.length + Aead.TAG_BYTES;
    byte[] header =
        new WireWriter(Envelope.HEADER_BYTES)
            .bytes(Envelope.MAGIC)
            .u8(Envelope.VERSION)
            .bytes(documentId.toBytes())
            .bytes(new byte[Envelope.ID_BYTES])
            .u32(epoch)
            .bytes(signer.publicKey().signKey())
            .u64(seq)
            .bytes(nonce)
            .u32(ciphertextLength)
            .toArray();
    byte[] envelope =
        Arrays.copyOf(header, Envelope.HEADER_BYTES + ciphertextLength + Ed25519.SIGNATURE_BYTES);
    encrypt(nonce, envelope, chunks);
    return Envelope.signed(envelope, signature, documentId, epoch, seq);
  }

  /** Writes the format byte and {@code chunks}, encrypted, after the header in {@code envelope}. */
  private void encrypt(byte[] nonce, byte[] envelope, byte[] chunks) {
    try {
      cipher.init(
          Cipher.ENCRYPT_MODE, subkey, new GCMParameterSpec(Aead.TAG_BYTES * Byte.SIZE, nonce));
      // Associated data: the header but the envelope ID, which is computed over the ciphertext.
      cipher.updateAAD(envelope, 0, Envelope.ID_OFFSET);
      cipher.updateAAD(
          envelope, Envelope.EPOCH_OFFSET, Envelope.HEADER_BYTES - Envelope.EPOCH_OFFSET);
      int written =
          cipher.update(
              new byte[] {EnvelopeSeal.PLAINTEXT_CHUNKS}, 0, 1, envelope, Envelope.HEADER_BYTES);
      cipher.doFinal(chunks, 0, chunks.length, envelope, Envelope.HEADER_BYTES + written);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM with a 32-byte key and fresh nonce cannot fail", e);
    }
  }
}
