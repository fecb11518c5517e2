package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;

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
    int at = reader.position();
    long length = reader.readAnyUleb(column, " string length");
    if (length < 0 || length > reader.remaining()) {
      throw new CorruptDataException(
          column
              + ": string of "
              + Long.toUnsignedString(length)
              + " bytes at byte "
              + at
              + " runs past the end");
    }
    item = reader.readUtf8((int) length, column);
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
