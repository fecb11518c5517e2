package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;
import dev.converge.core.ScalarValue;

/**
 * Decodes a document's value metadata column and its raw value column into {@link ScalarValue}s
 * (compat §1.2), as JavaScript Automerge 3.5 reads them. Each row's metadata word gives the type
 * code (low four bits) and the byte length of its slice of the raw column, whatever the type: a
 * null or boolean with a length takes (and ignores) that many bytes. LEB values must be minimal and
 * fill their slice exactly, floats take exactly eight bytes, and strings must be valid UTF-8. Type
 * codes 10..15 come back as {@link ScalarValue.Unknown} with their bytes. Raw bytes after the last
 * value are ignored. Not thread-safe.
 */
public final class ValueDecoder {
  private final LongRleDecoder metadata;
  private final ByteReader raw;
  private static final byte[] NO_BYTES = new byte[0];
  private static final String[] ASCII = new String[0x80];

  static {
    for (char c = 0; c < ASCII.length; c++) {
      ASCII[c] = String.valueOf(c);
    }
  }

  private final String column;

  /**
   * @param metadata the metadata column's bytes
   * @param raw the raw column's bytes; empty if the chunk has no raw column
   */
  public ValueDecoder(ByteReader metadata, ByteReader raw, String column, boolean strict) {
    this.metadata = new LongRleDecoder(metadata, column + " metadata", false, strict, false);
    this.raw = raw;
    this.column = column;
  }

  /** Reads the next row. */
  public ScalarValue next() {
    long word = metadata.nextValue();
    int typeCode = (int) (word & 0xf);
    long length = word >>> 4;
    int at = raw.position();
    if (length > raw.remaining()) {
      throw new CorruptDataException(
          column
              + ": value of "
              + length
              + " bytes at row "
              + (metadata.rowsRead() - 1)
              + " runs past the end of the raw column at byte "
              + at);
    }
    // The common values are read straight from the raw column; the rest through a slice, so a
    // malformed LEB128 cannot read into the next value.
    switch (typeCode) {
      case 0:
        raw.skip((int) length, column);
        return ScalarValue.NULL;
      case 1:
        raw.skip((int) length, column);
        return ScalarValue.FALSE;
      case 2:
        raw.skip((int) length, column);
        return ScalarValue.TRUE;
      case 6:
        if (length == 1 && raw.array()[at] >= 0) {
          // One ASCII character, the value of most text ops: its shared string, no decoding.
          raw.skip(1, column);
          return ScalarValue.str(ASCII[raw.array()[at]]);
        }
        return ScalarValue.str(raw.readUtf8((int) length, column, " string"));
      case 7:
        return length == 0
            ? ScalarValue.Bytes.of(NO_BYTES)
            : ScalarValue.Bytes.of(raw.readBytes((int) length, column));
      default:
        return decode(typeCode, raw.slice((int) length, column), at);
    }
  }

  /**
   * A LEB128 value may stop short of the length its metadata gives: JavaScript Automerge reads the
   * number from a document's op and skips the rest, and so does this.
   */
  private ScalarValue decode(int typeCode, ByteReader slice, int at) {
    switch (typeCode) {
      case 3:
        return new ScalarValue.Uint(slice.readUleb(column, " uint"));
      case 4:
        return new ScalarValue.Int(slice.readSleb(column, " int"));
      case 5:
        requireLength(slice.remaining(), 8, "f64", at);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
          bits |= (long) slice.readUnsignedByte(column) << (8 * i);
        }
        return new ScalarValue.F64(Double.longBitsToDouble(bits));
      case 8:
        return new ScalarValue.Counter(slice.readSleb(column, " counter"));
      case 9:
        return new ScalarValue.Timestamp(slice.readSleb(column, " timestamp"));
      default:
        return ScalarValue.Unknown.of(typeCode, slice.readBytes(slice.remaining(), column));
    }
  }

  private void requireLength(long length, int expected, String type, int at) {
    if (length != expected) {
      throw new CorruptDataException(
          column
              + ": a "
              + type
              + " value takes "
              + expected
              + " bytes, metadata says "
              + length
              + ", at byte "
              + at);
    }
  }

  /** Checks that the metadata column has no rows left; raw bytes left over are ignored. */
  public void expectDone() {
    metadata.expectDone();
  }
}
