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
   * of {@code signer} in {@code epoch}. To seal several, an {@link EnvelopeWriter} derives the key
   * once.
   */
  static Envelope seal(
      DocumentId documentId,
      long epoch,
      byte[] epochKey,
      MemberKeyPair signer,
      long seq,
      byte[] chunks,
      SecureRandom random) {
    return new EnvelopeWriter(documentId, epoch, epochKey, signer).seal(seq, chunks, random);
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
