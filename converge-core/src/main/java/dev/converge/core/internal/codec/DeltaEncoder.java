package dev.converge.core.internal.codec;

/**
 * Encodes a nullable integer column as RLE of sLEB differences from the previous non-null value,
 * starting from 0. Nulls do not reset the running value (compat §2.6). Reusable; not thread-safe.
 */
public final class DeltaEncoder {
  private final RleEncoder deltas = new RleEncoder(true);
  private long previous;

  /** Starts a column written to the end of {@code target}. */
  public void begin(ByteWriter target) {
    deltas.begin(target);
    previous = 0;
  }

  public void append(long value) {
    deltas.append(value - previous);
    previous = value;
  }

  public void appendNull() {
    deltas.appendNull();
  }

  /** Closes the column; writes nothing if every row was null. */
  public void finish() {
    deltas.finish();
  }
}
