package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;

/**
 * Decodes a delta column: RLE of sLEB differences, summed from 0; nulls leave the running value as
 * it was. A sum that overflows 64 bits is corrupt data.
 */
public final class DeltaDecoder {
  private final LongRleDecoder deltas;
  private final String column;
  private long value;

  public DeltaDecoder(ByteReader reader, String column, boolean strict, boolean nullable) {
    this.deltas = new LongRleDecoder(reader, column, true, strict, nullable);
    this.column = column;
  }

  /** Advances one row; false if it is null. */
  public boolean next() {
    if (!deltas.next()) {
      return false;
    }
    try {
      value = Math.addExact(value, deltas.value());
    } catch (ArithmeticException e) {
      throw new CorruptDataException(
          column + ": running value overflows 64 bits at row " + (deltas.rowsRead() - 1), e);
    }
    return true;
  }

  /** The running value after the last non-null row. */
  public long value() {
    return value;
  }

  /** Reads a row that must not be null. */
  public long nextValue() {
    if (!next()) {
      throw new CorruptDataException(
          column + ": unexpected null at row " + (deltas.rowsRead() - 1));
    }
    return value;
  }

  public boolean isDone() {
    return deltas.isDone();
  }

  public void expectDone() {
    deltas.expectDone();
  }
}
