package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * Sealing and opening envelopes (format in {@link Envelope}): AES-256-GCM under a subkey of the
 * epoch key per signer, {@code HKDF(salt = document ID, IKM = epoch key, info = label || signer
 * key)}, with the nonce {@code seq || 4 random bytes}. A subkey belongs to one signer in one epoch
 * of one document, and a signer never uses a sequence number twice there, so a nonce is never
 * reused under a key (docs/sealed.md, "Keys and nonces").
 */
final class EnvelopeSeal {
  private static final byte[] SUBKEY_LABEL =
      "converge sealed v1 envelope".getBytes(StandardCharsets.US_ASCII);

  /** The plaintext's first byte: Automerge chunks follow. */
  static final int PLAINTEXT_CHUNKS = 1;

  private EnvelopeSeal() {}

  /**
   * Seals {@code chunks} (Automerge change chunks, or one document chunk) as envelope {@code seq}
   * of {@code signer} in {@code epoch}.
   */
  static Envelope seal(
      DocumentId documentId,
      long epoch,
      byte[] epochKey,
      MemberKeyPair signer,
      long seq,
      byte[] chunks,
      SecureRandom random) {
    if (epoch < 1 || epoch > 0xffff_ffffL || seq < 1) {
      throw new IllegalArgumentException("epoch " + epoch + " or seq " + seq + " out of range");
    }
    byte[] nonce = new byte[Aead.NONCE_BYTES];
    for (int i = 0; i < 8; i++) {
      nonce[i] = (byte) (seq >>> (56 - 8 * i));
    }
    byte[] tail = new byte[Aead.NONCE_BYTES - 8];
    random.nextBytes(tail);
    System.arraycopy(tail, 0, nonce, 8, tail.length);
    byte[] plaintext = new byte[1 + chunks.length];
    plaintext[0] = PLAINTEXT_CHUNKS;
    System.arraycopy(chunks, 0, plaintext, 1, chunks.length);
    int ciphertextLength = plaintext.length + Aead.TAG_BYTES;
    WireWriter header =
        header(documentId, epoch, signer.publicKey().signKey(), seq, nonce, ciphertextLength);
    byte[] headerBytes = header.toArray();
    byte[] key = subkey(documentId, epochKey, signer.publicKey().signKey());
    byte[] ciphertext = Aead.seal(key, nonce, associatedData(headerBytes), plaintext);
    byte[] unsigned =
        Arrays.copyOf(
            headerBytes, headerBytes.length + ciphertext.length + Ed25519.SIGNATURE_BYTES);
    System.arraycopy(ciphertext, 0, unsigned, headerBytes.length, ciphertext.length);
    return Envelope.signed(unsigned, signer, documentId, epoch, seq);
  }

  private static WireWriter header(
      DocumentId documentId, long epoch, ByteString signer, long seq, byte[] nonce, int length) {
    return new WireWriter(Envelope.HEADER_BYTES)
        .bytes(Envelope.MAGIC)
        .u8(Envelope.VERSION)
        .bytes(documentId.toBytes())
        .bytes(new byte[Envelope.ID_BYTES])
        .u32(epoch)
        .bytes(signer)
        .u64(seq)
        .bytes(nonce)
        .u32(length);
  }

  /**
   * The Automerge chunks inside {@code envelope}, opened with the key of its epoch.
   *
   * @throws EnvelopeRejectedException of reason TAMPERED if the tag does not check, or
   *     CORRUPT_CONTENT if the plaintext is not of a known form
   */
  static byte[] open(Envelope envelope, byte[] epochKey) {
    byte[] bytes = envelope.unsafeBytes();
    byte[] header = Arrays.copyOf(bytes, Envelope.HEADER_BYTES);
    byte[] nonce = Arrays.copyOfRange(bytes, 81, 81 + Aead.NONCE_BYTES);
    byte[] key = subkey(envelope.documentId(), epochKey, envelope.signer());
    int length = bytes.length - Envelope.OVERHEAD_BYTES;
    byte[] plaintext;
    try {
      plaintext =
          Aead.open(key, nonce, associatedData(header), bytes, Envelope.HEADER_BYTES, length);
    } catch (AEADBadTagException e) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.TAMPERED,
          "envelope " + envelope.envelopeId().toHex() + ": its authentication tag does not check",
          e);
    }
    if (plaintext.length < 1 || plaintext[0] != PLAINTEXT_CHUNKS) {
      throw new EnvelopeRejectedException(
          EnvelopeRejectedException.Reason.CORRUPT_CONTENT,
          "envelope "
              + envelope.envelopeId().toHex()
              + ": plaintext form "
              + (plaintext.length < 1 ? "missing" : Integer.toString(plaintext[0] & 0xff))
              + ", expected "
              + PLAINTEXT_CHUNKS);
    }
    return Arrays.copyOfRange(plaintext, 1, plaintext.length);
  }

  /** Bytes 0..21 and 37..97 of the header: everything but the envelope ID. */
  private static byte[] associatedData(byte[] header) {
    byte[] aad = new byte[Envelope.HEADER_BYTES - Envelope.ID_BYTES];
    System.arraycopy(header, 0, aad, 0, Envelope.ID_OFFSET);
    System.arraycopy(
        header,
        Envelope.EPOCH_OFFSET,
        aad,
        Envelope.ID_OFFSET,
        Envelope.HEADER_BYTES - Envelope.EPOCH_OFFSET);
    return aad;
  }

  static byte[] subkey(DocumentId documentId, byte[] epochKey, ByteString signer) {
    byte[] info = Arrays.copyOf(SUBKEY_LABEL, SUBKEY_LABEL.length + signer.length());
    System.arraycopy(signer.unsafeArray(), 0, info, SUBKEY_LABEL.length, signer.length());
    return Hkdf.derive(documentId.toBytes(), epochKey, info, Aead.KEY_BYTES);
  }
}
