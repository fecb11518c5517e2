package dev.converge.core.internal.codec;

/**
 * Encodes a boolean column as alternating uLEB run lengths, starting with false; a column that
 * starts with true begins with a zero count (compat §2.6). Reusable; not thread-safe.
 */
public final class BooleanEncoder {
  private ByteWriter out = new ByteWriter(16);
  private boolean current;
  private long count;
  private boolean anyTrue;

  /** Starts a column written to the end of {@code target}. */
  public void begin(ByteWriter target) {
    this.out = target;
    current = false;
    count = 0;
    anyTrue = false;
  }

  public void append(boolean value) {
    if (value != current) {
      out.writeUleb(count);
      current = value;
      count = 0;
    }
    count++;
    anyTrue |= value;
  }

  /** True if any row so far was true; a column of only false rows may be left out. */
  public boolean anyTrue() {
    return anyTrue;
  }

  /** Writes the last run; nothing for an empty column. */
  public void finish() {
    if (count > 0) {
      out.writeUleb(count);
    }
  }
}
