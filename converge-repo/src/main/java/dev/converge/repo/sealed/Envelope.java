package dev.converge.repo.sealed;

import dev.converge.core.CorruptDataException;
import dev.converge.repo.DocumentId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Arrays;

/**
 * One sealed envelope: a run of a document's changes, encrypted under an epoch key and signed by
 * the member that wrote it. The relay stores and forwards it by the fields in the clear; only a
 * member holding the epoch key can open it ({@code EnvelopeSeal}).
 *
 * <p>Format, version 1 (big-endian; {@code S} is the offset of the signature):
 *
 * <pre>
 * offset  bytes  field
 *      0      4  magic "cvse"
 *      4      1  version, 1
 *      5     16  document ID
 *     21     16  envelope ID: SHA-256 over bytes 0..S with this field zeroed, first 16 bytes
 *     37      4  epoch number, 1 or more
 *     41     32  signer's Ed25519 public key
 *     73      8  signer's sequence number in this document, 1 or more
 *     81     12  nonce: the sequence number, then 4 random bytes
 *     93      4  ciphertext length L, 17 to the limit
 *     97      L  AES-256-GCM ciphertext and tag; associated data: bytes 0..21 and 37..97
 *  S=97+L    64  Ed25519 signature by the signer over bytes 0..S
 * </pre>
 *
 * <p>{@link #decode} checks the structure and the envelope ID, not the signature: the relay and the
 * reader check that with {@link #hasValidSignature}, and the reader everything else.
 *
 * <p>Immutable; equal when the bytes are.
 */
public final class Envelope {
  static final byte[] MAGIC = {'c', 'v', 's', 'e'};
  static final int VERSION = 1;
  static final int ID_OFFSET = 21;
  static final int ID_BYTES = 16;
  static final int EPOCH_OFFSET = 37;
  static final int SIGNER_OFFSET = 41;
  static final int HEADER_BYTES = 97;
  static final int OVERHEAD_BYTES = HEADER_BYTES + Ed25519.SIGNATURE_BYTES;
  private static final int CIPHERTEXT_BYTES_MIN = 1 + Aead.TAG_BYTES;

  private final byte[] bytes;
  private final DocumentId documentId;
  private final ByteString envelopeId;
  private final long epoch;
  private final ByteString signer;
  private final long seq;

  private Envelope(
      byte[] bytes,
      DocumentId documentId,
      ByteString envelopeId,
      long epoch,
      ByteString signer,
      long seq) {
    this.bytes = bytes;
    this.documentId = documentId;
    this.envelopeId = envelopeId;
    this.epoch = epoch;
    this.signer = signer;
    this.seq = seq;
  }

  /**
   * The envelope encoded in {@code bytes} (copied).
   *
   * @throws CorruptDataException if they are not one envelope of this format, or its envelope ID
   *     does not match its bytes
   * @throws dev.converge.core.UnsupportedFormatException for another format version
   * @throws dev.converge.core.LimitExceededException if its ciphertext is longer than {@code
   *     limits} allow
   */
  public static Envelope decode(byte[] bytes, SealedLimits limits) {
    byte[] copy = bytes.clone();
    WireReader reader = new WireReader("envelope", copy);
    reader.expectMagic(MAGIC, VERSION);
    DocumentId documentId = DocumentId.of(reader.bytes("document ID", DocumentId.LENGTH));
    ByteString envelopeId = reader.byteString("envelope ID", ID_BYTES);
    long epoch = reader.u32("epoch", 0xffff_ffffL);
    ByteString signer = reader.byteString("signer", Ed25519.KEY_BYTES);
    long seq = reader.u63("sequence number");
    reader.skip("nonce", Aead.NONCE_BYTES);
    int length = (int) reader.u32("ciphertext length", limits.ciphertextBytesMax());
    reader.skip("ciphertext", length);
    reader.skip("signature", Ed25519.SIGNATURE_BYTES);
    reader.expectEnd();
    if (epoch == 0 || seq == 0) {
      throw new CorruptDataException(
          "envelope: epoch " + epoch + " and sequence number " + seq + " must both be 1 or more");
    }
    if (length < CIPHERTEXT_BYTES_MIN) {
      throw new CorruptDataException(
          "envelope: ciphertext of " + length + " bytes, at least " + CIPHERTEXT_BYTES_MIN);
    }
    ByteString expectedId = ByteString.wrap(computeId(copy));
    if (!expectedId.equals(envelopeId)) {
      throw new CorruptDataException(
          "envelope: ID "
              + envelopeId.toHex()
              + " does not match its bytes ("
              + expectedId.toHex()
              + ")");
    }
    return new Envelope(copy, documentId, envelopeId, epoch, signer, seq);
  }

  /** Assembles an envelope whose ID field is still zero: fills it in, then signs. */
  /**
   * The envelope in {@code unsigned} (every field but the envelope ID and the signature written),
   * with its ID filled in and signed by {@code signature}, an Ed25519 {@link Signature} initialised
   * with the signer's private key.
   */
  static Envelope signed(
      byte[] unsigned, Signature signature, DocumentId documentId, long epoch, long seq) {
    byte[] id = computeId(unsigned);
    System.arraycopy(id, 0, unsigned, ID_OFFSET, ID_BYTES);
    int signatureOffset = unsigned.length - Ed25519.SIGNATURE_BYTES;
    Ed25519.sign(signature, unsigned, 0, signatureOffset, unsigned, signatureOffset);
    ByteString signer = ByteString.of(unsigned, SIGNER_OFFSET, Ed25519.KEY_BYTES);
    return new Envelope(unsigned, documentId, ByteString.wrap(id), epoch, signer, seq);
  }

  /** SHA-256 over everything before the signature with the ID field zeroed; 16 bytes. */
  private static byte[] computeId(byte[] bytes) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    int end = bytes.length - Ed25519.SIGNATURE_BYTES;
    sha256.update(bytes, 0, ID_OFFSET);
    sha256.update(new byte[ID_BYTES]);
    sha256.update(bytes, ID_OFFSET + ID_BYTES, end - ID_OFFSET - ID_BYTES);
    return Arrays.copyOf(sha256.digest(), ID_BYTES);
  }

  /** Whether the signature is the signer's over every byte before it. */
  public boolean hasValidSignature() {
    int end = bytes.length - Ed25519.SIGNATURE_BYTES;
    return Ed25519.verify(signer.unsafeArray(), bytes, 0, end, bytes, end);
  }

  public DocumentId documentId() {
    return documentId;
  }

  /** 16 bytes naming this envelope's content. */
  public ByteString envelopeId() {
    return envelopeId;
  }

  public long epoch() {
    return epoch;
  }

  /** The signer's Ed25519 public key. */
  public ByteString signer() {
    return signer;
  }

  /** The signer's sequence number for this envelope in its document, from 1. */
  public long seq() {
    return seq;
  }

  /** The encoded length in bytes. */
  public int size() {
    return bytes.length;
  }

  /** A copy of the encoding. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The encoding itself, for code of this package that only reads it. */
  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return envelopeId.hashCode();
  }

  @Override
  public String toString() {
    return "envelope "
        + envelopeId.toHex()
        + " of "
        + documentId
        + " epoch "
        + epoch
        + " signer "
        + signer
        + " seq "
        + seq
        + " ("
        + bytes.length
        + " bytes)";
  }
}
