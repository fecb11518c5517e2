package dev.converge.core.internal.codec;

/**
 * Decodes an RLE column of uLEB or sLEB integers: actor, integer, group and value metadata columns,
 * and the deltas of a {@link DeltaDecoder}. See {@link RleDecoder} for the run format.
 */
public final class LongRleDecoder extends RleDecoder {
  private final boolean signed;
  private final boolean low32Bits;
  private long item;
  private long last;

  public LongRleDecoder(
      ByteReader reader, String column, boolean signed, boolean strict, boolean nullable) {
    this(reader, column, signed, strict, nullable, false);
  }

  private LongRleDecoder(
      ByteReader reader,
      String column,
      boolean signed,
      boolean strict,
      boolean nullable,
      boolean low32Bits) {
    super(reader, column, strict, nullable);
    this.signed = signed;
    this.low32Bits = low32Bits;
  }

  /**
   * A decoder of an actor index column: each uLEB value is taken as its low 32 bits, as JavaScript
   * Automerge's actor indexes are, before runs are compared (so 2^32 next to 0 is a repeat).
   */
  public static LongRleDecoder actorIndexes(
      ByteReader reader, String column, boolean strict, boolean nullable) {
    return new LongRleDecoder(reader, column, false, strict, nullable, true);
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
    if (low32Bits) {
      item &= 0xffff_ffffL;
    }
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
