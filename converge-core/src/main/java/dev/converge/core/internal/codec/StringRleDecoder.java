package dev.converge.core.internal.codec;

/** Decodes an RLE column of uLEB-length-prefixed UTF-8 strings. See {@link RleDecoder}. */
public final class StringRleDecoder extends RleDecoder {
  private String item = "";
  private String last = "";

  public StringRleDecoder(ByteReader reader, String column, boolean strict) {
    super(reader, column, strict, true);
  }

  /** The value of the row {@link #next()} last read, if it was not null. */
  public String value() {
    return item;
  }

  @Override
  protected void readItem() {
    int length = reader.readLength(column, " string length");
    item = reader.readUtf8(length, column);
  }

  @Override
  protected boolean itemEqualsLast() {
    return item.equals(last);
  }

  @Override
  protected void itemBecomesLast() {
    last = item;
  }
}
