package dev.converge.repo.spi;

import dev.converge.core.ChangeHash;
import java.util.Objects;

/**
 * One entry of the change log: a change of one document at a global offset. The bytes are an
 * uncompressed change chunk that hashes to {@code hash}; every store verifies that before it hands
 * a record out. The offset is the position in the log, strictly increasing in append order,
 * starting at 1; the document ID is the base58check form. Immutable: the bytes are copied at the
 * boundary.
 */
public final class LogRecord {
  private final long offset;
  private final String documentId;
  private final ChangeHash hash;
  private final byte[] bytes;

  public LogRecord(long offset, String documentId, ChangeHash hash, byte[] bytes) {
    if (offset < 1) {
      throw new IllegalArgumentException("log offsets start at 1, found " + offset);
    }
    this.offset = offset;
    this.documentId = Objects.requireNonNull(documentId, "documentId");
    this.hash = Objects.requireNonNull(hash, "hash");
    this.bytes = bytes.clone();
  }

  public long offset() {
    return offset;
  }

  public String documentId() {
    return documentId;
  }

  public ChangeHash hash() {
    return hash;
  }

  /** A copy of the change chunk. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The length of the change chunk, without copying it. */
  public int byteLength() {
    return bytes.length;
  }

  /** Appends the change chunk to {@code target} without an intermediate copy. */
  public void writeTo(java.io.ByteArrayOutputStream target) {
    target.write(bytes, 0, bytes.length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogRecord that
        && offset == that.offset
        && documentId.equals(that.documentId)
        && hash.equals(that.hash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + hash.hashCode();
  }

  @Override
  public String toString() {
    return "LogRecord[" + offset + " " + documentId + " " + hash + "]";
  }
}
