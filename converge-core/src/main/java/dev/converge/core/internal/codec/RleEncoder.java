package dev.converge.core.internal.codec;

/**
 * Encodes a nullable column of 64-bit integers as RLE of uLEB or sLEB values, in Automerge's
 * canonical form (compat §2.6): repeat runs of at least two, single values gathered into one
 * literal, no two literals or two null runs side by side, and nothing at all for a column of only
 * nulls.
 *
 * <p>The encoder writes each run to the target as soon as it is closed, so several columns can be
 * written one after another into one buffer. Use: {@link #begin}, then {@link #append} or {@link
 * #appendNull} per row, then {@link #finish}. Reusable; not thread-safe.
 */
public final class RleEncoder {
  private static final int EMPTY = 0;
  private static final int NULLS = 1;
  private static final int LONE = 2;
  private static final int LITERAL = 3;
  private static final int RUN = 4;

  private final boolean signed;
  private ByteWriter out = new ByteWriter(16);
  private int state;
  // LONE: the value; RUN: the repeated value; LITERAL: the newest value, not yet in `literal`.
  private long value;
  // NULLS and RUN: the row count.
  private long count;
  private long[] literal = new long[8];
  private int literalSize;
  private boolean wroteAny;

  /** An encoder of uLEB values ({@code signed = false}) or sLEB values. */
  public RleEncoder(boolean signed) {
    this.signed = signed;
  }

  /** Starts a column written to the end of {@code target}. */
  public void begin(ByteWriter target) {
    this.out = target;
    state = EMPTY;
    literalSize = 0;
    count = 0;
    wroteAny = false;
  }

  public void append(long next) {
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
        if (value == next) {
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
        if (value == next) {
          count++;
        } else {
          flushRun();
          state = LONE;
          value = next;
        }
        break;
      case LITERAL:
        if (value == next) {
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

  private void pushLiteral(long item) {
    if (literalSize == literal.length) {
      literal = java.util.Arrays.copyOf(literal, literalSize * 2);
    }
    literal[literalSize++] = item;
  }

  private void flushLiteral() {
    out.writeSleb(-literalSize);
    for (int i = 0; i < literalSize; i++) {
      writeValue(literal[i]);
    }
    literalSize = 0;
    wroteAny = true;
  }

  private void flushRun() {
    out.writeSleb(count);
    writeValue(value);
    wroteAny = true;
  }

  private void flushNulls() {
    out.writeByte(0);
    out.writeUleb(count);
    wroteAny = true;
  }

  private void writeValue(long item) {
    if (signed) {
      out.writeSleb(item);
    } else {
      out.writeUleb(item);
    }
  }
}
