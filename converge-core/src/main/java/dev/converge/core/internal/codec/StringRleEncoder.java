package dev.converge.core.internal.codec;

import java.util.Arrays;

/**
 * Encodes a nullable string column as RLE of uLEB-length-prefixed UTF-8, in the same canonical form
 * as {@link RleEncoder}. Reusable; not thread-safe.
 */
public final class StringRleEncoder {
  private static final int EMPTY = 0;
  private static final int NULLS = 1;
  private static final int LONE = 2;
  private static final int LITERAL = 3;
  private static final int RUN = 4;

  private ByteWriter out = new ByteWriter(16);
  private int state;
  private String value = "";
  private long count;
  private String[] literal = new String[8];
  private int literalSize;
  private int literalUsed;
  private boolean wroteAny;

  /** Starts a column written to the end of {@code target}. */
  public void begin(ByteWriter target) {
    this.out = target;
    state = EMPTY;
    literalSize = 0;
    count = 0;
    wroteAny = false;
  }

  public void append(String next) {
    switch (state) {
      case EMPTY:
        state = LONE;
        value = next;
        break;
      case NULLS:
        flushNulls();
        state = LONE;
        value = next;
        break;
      case LONE:
        if (value.equals(next)) {
          state = RUN;
          count = 2;
        } else {
          state = LITERAL;
          literalSize = 0;
          pushLiteral(value);
          value = next;
        }
        break;
      case RUN:
        if (value.equals(next)) {
          count++;
        } else {
          flushRun();
          state = LONE;
          value = next;
        }
        break;
      case LITERAL:
        if (value.equals(next)) {
          flushLiteral();
          state = RUN;
          count = 2;
        } else {
          pushLiteral(value);
          value = next;
        }
        break;
      default:
        throw new AssertionError(state);
    }
  }

  public void appendNull() {
    switch (state) {
      case EMPTY:
        state = NULLS;
        count = 1;
        return;
      case NULLS:
        count++;
        return;
      default:
        flushValues();
        break;
    }
    state = NULLS;
    count = 1;
  }

  /** Closes the column: writes the pending run, or nothing if every row was null. */
  public void finish() {
    switch (state) {
      case EMPTY:
        break;
      case NULLS:
        if (wroteAny) {
          flushNulls();
        }
        break;
      default:
        flushValues();
        break;
    }
    state = EMPTY;
    // Drop the references this column held; most columns (all null keys in a text) held none.
    if (literalUsed > 0) {
      Arrays.fill(literal, 0, literalUsed, null);
      literalUsed = 0;
    }
  }

  /** Writes the pending run or literal of values (the state is LONE, RUN or LITERAL). */
  private void flushValues() {
    switch (state) {
      case LONE:
        literalSize = 0;
        pushLiteral(value);
        flushLiteral();
        break;
      case RUN:
        flushRun();
        break;
      case LITERAL:
        pushLiteral(value);
        flushLiteral();
        break;
      default:
        throw new AssertionError(state);
    }
  }

  private void pushLiteral(String item) {
    if (literalSize == literal.length) {
      literal = Arrays.copyOf(literal, literalSize * 2);
    }
    literal[literalSize++] = item;
    literalUsed = Math.max(literalUsed, literalSize);
  }

  private void flushLiteral() {
    out.writeSleb(-literalSize);
    for (int i = 0; i < literalSize; i++) {
      out.writeLengthPrefixed(Utf8.encode(literal[i]));
    }
    literalSize = 0;
    wroteAny = true;
  }

  private void flushRun() {
    out.writeSleb(count);
    out.writeLengthPrefixed(Utf8.encode(value));
    wroteAny = true;
  }

  private void flushNulls() {
    out.writeByte(0);
    out.writeUleb(count);
    wroteAny = true;
  }
}
