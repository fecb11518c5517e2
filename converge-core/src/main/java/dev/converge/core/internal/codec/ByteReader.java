package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;
import java.util.Arrays;

/**
 * A cursor over a slice of a byte array holding untrusted data.
 *
 * <p>Every read checks the bytes remaining first and throws {@link CorruptDataException} naming
 * what was being read and the byte offset, never {@link ArrayIndexOutOfBoundsException}. Offsets in
 * messages are indexes into the underlying array, so a reader over a whole chunk reports offsets
 * within that chunk. Lengths read from the data are checked against the bytes remaining before
 * anything is allocated from them.
 *
 * <p>LEB128 reads reject overlong encodings (a final byte of 0 after the first for uLEB, or a
 * redundant sign byte for sLEB) and values that do not fit 64 bits, as Automerge's parser does.
 *
 * <p>Not thread-safe.
 */
public final class ByteReader {
  private final byte[] data;
  private final int end;
  private int position;

  /** A reader over {@code data[offset, offset + length)}. */
  public ByteReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IllegalArgumentException(
          "slice [" + offset + ", +" + length + ") outside array of " + data.length);
    }
    this.data = data;
    this.position = offset;
    this.end = offset + length;
  }

  /** A reader over all of {@code data}. */
  public ByteReader(byte[] data) {
    this(data, 0, data.length);
  }

  /** The underlying array, for decoders that slice it without copying. */
  public byte[] array() {
    return data;
  }

  /** The index in {@link #array()} of the next byte to read. */
  public int position() {
    return position;
  }

  /** The index in {@link #array()} just past the last readable byte. */
  public int end() {
    return end;
  }

  public int remaining() {
    return end - position;
  }

  public boolean hasRemaining() {
    return position < end;
  }

  /** Reads one byte as an unsigned value 0..255. */
  public int readUnsignedByte(String what) {
    if (position >= end) {
      throw truncated(what, 1);
    }
    return data[position++] & 0xff;
  }

  /**
   * Reads an unsigned LEB128 value of at most 64 bits; values above {@link Long#MAX_VALUE} come
   * back negative, with the same bits.
   */
  public long readUleb(String what) {
    return readUleb(what, "");
  }

  /**
   * As {@link #readUleb(String)}, naming what is read by two parts joined only for an error
   * message.
   */
  public long readUleb(String column, String detail) {
    int start = position;
    long result = 0;
    int shift = 0;
    while (true) {
      if (position >= end) {
        position = start;
        throw new CorruptDataException(column + detail + ": truncated LEB128 at byte " + start);
      }
      int b = data[position++] & 0xff;
      if (shift == 63 && (b & 0x7e) != 0) {
        position = start;
        throw new CorruptDataException(
            column + detail + ": LEB128 overflows 64 bits at byte " + start);
      }
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && position - start > 1) {
          position = start;
          throw new CorruptDataException(column + detail + ": overlong LEB128 at byte " + start);
        }
        return result;
      }
      shift += 7;
      if (shift > 63) {
        position = start;
        throw new CorruptDataException(
            column + detail + ": LEB128 overflows 64 bits at byte " + start);
      }
    }
  }

  /**
   * Reads an unsigned LEB128 value as the {@code leb128} crate under JavaScript Automerge's column
   * decoders does: overlong forms are accepted, only a value past 64 bits is an error.
   */
  public long readAnyUleb(String column, String detail) {
    int start = position;
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      if (position >= end) {
        position = start;
        throw new CorruptDataException(column + detail + ": truncated LEB128 at byte " + start);
      }
      int b = data[position++] & 0xff;
      if (shift == 63 && b != 0x00 && b != 0x01) {
        position = start;
        throw new CorruptDataException(
            column + detail + ": LEB128 overflows 64 bits at byte " + start);
      }
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
  }

  /** As {@link #readAnyUleb}, for a signed LEB128 value. */
  public long readAnySleb(String column, String detail) {
    int start = position;
    long result = 0;
    int shift = 0;
    int b;
    do {
      if (position >= end) {
        position = start;
        throw new CorruptDataException(column + detail + ": truncated LEB128 at byte " + start);
      }
      b = data[position++] & 0xff;
      if (shift == 63 && b != 0x00 && b != 0x7f) {
        position = start;
        throw new CorruptDataException(
            column + detail + ": LEB128 overflows 64 bits at byte " + start);
      }
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }

  /** Reads a signed LEB128 value that fits in 64 bits. */
  public long readSleb(String what) {
    return readSleb(what, "");
  }

  /**
   * As {@link #readSleb(String)}, naming what is read by two parts joined only for an error
   * message.
   */
  public long readSleb(String column, String detail) {
    int start = position;
    long result = 0;
    int shift = 0;
    int b;
    while (true) {
      if (position >= end) {
        position = start;
        throw new CorruptDataException(column + detail + ": truncated LEB128 at byte " + start);
      }
      b = data[position++] & 0xff;
      if (shift == 63) {
        // The tenth byte carries bit 63 and must otherwise be pure sign extension.
        if (b != 0x00 && b != 0x7f) {
          position = start;
          throw new CorruptDataException(
              column + detail + ": LEB128 overflows 64 bits at byte " + start);
        }
        result |= (long) (b & 1) << 63;
      } else {
        result |= (long) (b & 0x7f) << shift;
      }
      shift += 7;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    if (position - start > 1) {
      // A last byte that only repeats the sign of the byte before it is redundant.
      int previousSign = data[position - 2] & 0x40;
      if ((b == 0x00 && previousSign == 0) || (b == 0x7f && previousSign != 0)) {
        position = start;
        throw new CorruptDataException(column + detail + ": overlong LEB128 at byte " + start);
      }
    }
    return result;
  }

  /** Reads an unsigned LEB128 value that must fit 32 bits, as column specs and counters do. */
  public long readUleb32(String what) {
    int start = position;
    long value = readUleb(what);
    if (value < 0 || value > 0xffff_ffffL) {
      position = start;
      throw new CorruptDataException(
          what + ": " + Long.toUnsignedString(value) + " does not fit 32 bits at byte " + start);
    }
    return value;
  }

  /**
   * Reads an unsigned LEB128 length or count and checks it against {@code max}, typically the bytes
   * remaining divided by the smallest encoding of one item.
   */
  public int readCount(String what, long max) {
    int start = position;
    long value = readUleb(what);
    if (value < 0 || value > max) {
      position = start;
      throw new CorruptDataException(
          what
              + ": "
              + Long.toUnsignedString(value)
              + " is more than the "
              + max
              + " the remaining "
              + remaining()
              + " bytes can hold, at byte "
              + start);
    }
    return (int) value;
  }

  /** Reads a uLEB length prefix that must not exceed the bytes remaining after it. */
  public int readLength(String what) {
    return readLength(what, "");
  }

  /**
   * As {@link #readLength(String)}, naming what is read by two parts joined only for an error
   * message.
   */
  public int readLength(String column, String detail) {
    int start = position;
    long value = readUleb(column, detail);
    if (value < 0 || value > remaining()) {
      position = start;
      throw new CorruptDataException(
          column
              + detail
              + ": length "
              + Long.toUnsignedString(value)
              + " at byte "
              + start
              + " runs past the end ("
              + remaining()
              + " bytes remain)");
    }
    return (int) value;
  }

  /** Copies the next {@code length} bytes. */
  public byte[] readBytes(int length, String what) {
    require(length, what);
    byte[] out = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** Reads {@code length} bytes of strict UTF-8. */
  public String readUtf8(int length, String what) {
    return readUtf8(length, what, "");
  }

  /** As {@link #readUtf8(int, String)}, naming what is read by two parts joined only on error. */
  public String readUtf8(int length, String column, String detail) {
    if (length < 0 || length > end - position) {
      throw truncated(column + detail, length);
    }
    String text = Utf8.decode(data, position, length, column, detail);
    position += length;
    return text;
  }

  /** A reader over the next {@code length} bytes, which this reader skips. */
  public ByteReader slice(int length, String what) {
    require(length, what);
    ByteReader slice = new ByteReader(data, position, length);
    position += length;
    return slice;
  }

  /** Skips {@code length} bytes. */
  public void skip(int length, String what) {
    require(length, what);
    position += length;
  }

  private void require(int length, String what) {
    if (length < 0 || length > end - position) {
      throw truncated(what, length);
    }
  }

  private CorruptDataException truncated(String what, long needed) {
    return new CorruptDataException(
        what
            + ": need "
            + needed
            + " bytes at byte "
            + position
            + " but only "
            + (end - position)
            + " remain");
  }
}
