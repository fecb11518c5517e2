package dev.converge.core.internal.change;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One chunk located in a byte array, its header parsed but its checksum not yet checked. Refers to
 * the array without copying it.
 *
 * <p>Header layout: magic {@code 85 6f 4a 83}, a 4-byte checksum, the type byte, and the body
 * length as uLEB. The checksum is the first four bytes of SHA-256 over the type byte, the length
 * uLEB and the body, which for a change chunk is also the change's hash.
 *
 * <p>Immutable, but it shares the array it was found in: callers must not change that array.
 */
public final class Chunk {
  public static final int MAGIC_LENGTH = 4;
  public static final int CHECKSUM_LENGTH = 4;

  /** Magic and checksum: the bytes the hash does not cover. */
  public static final int HASHED_FROM = MAGIC_LENGTH + CHECKSUM_LENGTH;

  static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};

  private final ChunkType type;
  private final byte[] source;
  private final int offset;
  private final int headerLength;
  private final int bodyLength;

  /**
   * @param type the chunk type
   * @param source the array holding the chunk
   * @param offset where the chunk starts in {@code source}
   * @param headerLength bytes from the magic through the length uLEB
   * @param bodyLength bytes of body after the header
   */
  Chunk(ChunkType type, byte[] source, int offset, int headerLength, int bodyLength) {
    if (offset < 0
        || headerLength < 0
        || bodyLength < 0
        || (long) offset + headerLength + bodyLength > source.length) {
      throw new IllegalArgumentException("chunk outside its array");
    }
    this.type = type;
    this.source = source;
    this.offset = offset;
    this.headerLength = headerLength;
    this.bodyLength = bodyLength;
  }

  public ChunkType type() {
    return type;
  }

  /** The array holding the chunk; not a copy. */
  public byte[] source() {
    return source;
  }

  /** Where the chunk starts in {@link #source()}. */
  public int offset() {
    return offset;
  }

  /** Bytes from the magic through the length uLEB. */
  public int headerLength() {
    return headerLength;
  }

  public int bodyLength() {
    return bodyLength;
  }

  /** The index in {@link #source()} of the first body byte. */
  public int bodyOffset() {
    return offset + headerLength;
  }

  /** The index in {@link #source()} just past the chunk. */
  public int end() {
    return offset + headerLength + bodyLength;
  }

  /** The chunk's total length. */
  public int length() {
    return headerLength + bodyLength;
  }

  /** A copy of the whole chunk, header included. */
  public byte[] copyBytes() {
    return Arrays.copyOfRange(source, offset, end());
  }

  /** The SHA-256 hash over the type, length and body. */
  public byte[] computeHash(MessageDigest sha256) {
    sha256.reset();
    sha256.update(source, offset + HASHED_FROM, length() - HASHED_FROM);
    return sha256.digest();
  }

  /** Whether the stored checksum equals the first four bytes of {@code hash}. */
  public boolean checksumMatches(byte[] hash) {
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      if (source[offset + MAGIC_LENGTH + i] != hash[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Chunk that
        && type == that.type
        && source == that.source
        && offset == that.offset
        && headerLength == that.headerLength
        && bodyLength == that.bodyLength;
  }

  @Override
  public int hashCode() {
    return (31 * System.identityHashCode(source) + offset) * 31 + bodyLength;
  }

  @Override
  public String toString() {
    return "Chunk[" + type + " at byte " + offset + ", " + length() + " bytes]";
  }
}
