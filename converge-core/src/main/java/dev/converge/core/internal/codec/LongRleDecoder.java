package dev.converge.core.internal.codec;

/**
 * Decodes an RLE column of uLEB or sLEB integers: actor, integer, group and value metadata columns,
 * and the deltas of a {@link DeltaDecoder}. See {@link RleDecoder} for the run format.
 */
public final class LongRleDecoder extends RleDecoder {
  private final boolean signed;
  private long item;
  private long last;

  public LongRleDecoder(
      ByteReader reader, String column, boolean signed, boolean strict, boolean nullable) {
    super(reader, column, strict, nullable);
    this.signed = signed;
  }

  /** A lenient, nullable decoder of uLEB values. */
  public static LongRleDecoder unsigned(ByteReader reader, String column) {
    return new LongRleDecoder(reader, column, false, false, true);
  }

  /** The value of the row {@link #next()} last read, if it was not null. */
  public long value() {
    return item;
  }

  /** Reads a row that must not be null. */
  public long nextValue() {
    nextNonNull();
    return item;
  }

  @Override
  protected void readItem() {
    item = signed ? reader.readAnySleb(column, "") : reader.readAnyUleb(column, "");
  }

  @Override
  protected boolean itemEqualsLast() {
    return item == last;
  }

  @Override
  protected void itemBecomesLast() {
    last = item;
  }
}
