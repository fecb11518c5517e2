package dev.converge.core.internal.change;

import dev.converge.core.CorruptDataException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads one column of a change chunk's op columns the way JavaScript Automerge 3.5 does, which is
 * more lenient than its document reader: LEB128 numbers may be overlong (only overflow past 64 bits
 * is an error), runs need not be canonical, and a column may hold more rows than the change has
 * ops. The quirks of its 32-bit WebAssembly build are kept, since they decide which files load: run
 * lengths are truncated to 32 bits, and counts and lengths that must fit a 32-bit size are errors
 * past it.
 *
 * <p>{@link #next()} steps through the rows of an RLE column: {@link #EXHAUSTED} past the last one,
 * else {@link #NULL} or {@link #VALUE} (then {@link #longValue()} or {@link #stringValue()} holds
 * it). {@link #nextBoolean()} steps through a boolean column instead. Not thread-safe.
 */
final class ChangeColumnReader {
  static final int EXHAUSTED = -1;
  static final int NULL = 0;
  static final int VALUE = 1;

  /** Longest string (or byte array) JavaScript reads from a column. */
  private static final long ALLOCATION_MAX = 1_000_000_000L;

  /** What an RLE column holds. */
  enum Kind {
    UNSIGNED,
    SIGNED,
    STRING
  }

  private final byte[] data;
  private final int start;
  private final int end;
  private final String column;
  private final Kind kind;
  private int position;
  // The run being read: rows left (a 32-bit count, as JavaScript keeps it), literal or not.
  private int count;
  private boolean literal;
  private boolean hasLast;
  private long lastLong;
  private @Nullable String lastString;
  private boolean lastBoolean = true;

  ChangeColumnReader(byte[] data, int offset, int length, String column, Kind kind) {
    this.data = data;
    this.position = offset;
    this.start = offset;
    this.end = offset + length;
    this.column = column;
    this.kind = kind;
  }

  /** Whether the column holds no bytes at all. */
  boolean isEmpty() {
    return end == start;
  }

  /** Whether the RLE column has no rows left: no bytes, and the run read last is spent. */
  boolean isDone() {
    return position >= end && count == 0;
  }

  long longValue() {
    return lastLong;
  }

  String stringValue() {
    // Read after next() returned VALUE, which set it.
    if (lastString == null) {
      throw new IllegalStateException("no string value read");
    }
    return lastString;
  }

  /** Steps to the next row of an RLE column. */
  int next() {
    while (count == 0) {
      if (position >= end) {
        return EXHAUSTED;
      }
      long header = readSigned();
      if (header > 0) {
        count = (int) header;
        readItem();
        hasLast = true;
        literal = false;
      } else if (header < 0) {
        // abs() of the most negative value wraps to itself, and its 32 low bits are 0.
        count = (int) -header;
        literal = true;
      } else {
        count = (int) readSize();
        hasLast = false;
        literal = false;
      }
    }
    count--;
    if (literal) {
      readItem();
      return VALUE;
    }
    return hasLast ? VALUE : NULL;
  }

  /** Steps to the next row of a boolean column; {@link #EXHAUSTED} past the last. */
  int nextBoolean() {
    while (count == 0) {
      if (position >= end) {
        return EXHAUSTED;
      }
      count = (int) readSize();
      lastBoolean = !lastBoolean;
    }
    count--;
    return lastBoolean ? 1 : 0;
  }

  private void readItem() {
    switch (kind) {
      case UNSIGNED -> lastLong = readUnsigned();
      case SIGNED -> lastLong = readSigned();
      case STRING -> lastString = readString();
    }
  }

  private String readString() {
    long length = readSize();
    if (length > ALLOCATION_MAX) {
      throw corrupt("string of " + length + " bytes is too long");
    }
    if (length > end - position) {
      throw corrupt("string of " + length + " bytes runs past the end");
    }
    ByteBuffer bytes = ByteBuffer.wrap(data, position, (int) length);
    position += (int) length;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt("string is not UTF-8");
    }
  }

  /** An unsigned LEB128 that must fit a 32-bit size. */
  private long readSize() {
    int at = position;
    long value = readUnsigned();
    if (value < 0 || value > 0xffff_ffffL) {
      position = at;
      throw corrupt(Long.toUnsignedString(value) + " does not fit a 32-bit size");
    }
    return value;
  }

  /** An unsigned LEB128 of at most 64 bits, overlong forms allowed. */
  long readUnsigned() {
    int at = position;
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      int b = readByte(at);
      if (shift == 63 && b != 0x00 && b != 0x01) {
        throw corrupt("LEB128 overflows 64 bits at byte " + at);
      }
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
  }

  /** A signed LEB128 of at most 64 bits, overlong forms allowed. */
  long readSigned() {
    int at = position;
    long result = 0;
    int shift = 0;
    int b;
    do {
      b = readByte(at);
      if (shift == 63 && b != 0x00 && b != 0x7f) {
        throw corrupt("LEB128 overflows 64 bits at byte " + at);
      }
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }

  /** The raw bytes {@code position..position + length}, advancing past them. */
  int take(long length) {
    if (length > end - position) {
      throw corrupt("value of " + length + " bytes runs past the end");
    }
    int at = position;
    position += (int) length;
    return at;
  }

  byte[] data() {
    return data;
  }

  private int readByte(int at) {
    if (position >= end) {
      throw corrupt("truncated LEB128 at byte " + at);
    }
    return data[position++] & 0xff;
  }

  CorruptDataException corrupt(String problem) {
    return new CorruptDataException(column + ": " + problem);
  }
}
