package dev.converge.repo.spi;

/**
 * A cached state of one document: {@code bytes} is a saved document (a document chunk) holding
 * exactly the document's log entries at offsets up to and including {@code offset}. A cache only:
 * it can always be rebuilt from the log, and a snapshot that fails to load is ignored.
 */
public final class Snapshot {
  private final long offset;
  private final byte[] bytes;

  public Snapshot(long offset, byte[] bytes) {
    if (offset < 0) {
      throw new IllegalArgumentException("a snapshot offset is >= 0, found " + offset);
    }
    this.offset = offset;
    this.bytes = bytes.clone();
  }

  public long offset() {
    return offset;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Snapshot that
        && offset == that.offset
        && java.util.Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Snapshot[offset " + offset + ", " + bytes.length + " bytes]";
  }
}
