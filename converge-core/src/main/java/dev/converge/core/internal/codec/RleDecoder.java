package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;

/**
 * The run structure shared by the RLE column decoders: an sLEB count, then a value repeated {@code
 * count} times ({@code count > 0}), {@code -count} literal values ({@code count < 0}), or a uLEB
 * number of nulls ({@code count == 0}).
 *
 * <p>Numbers are LEB128 in any form, overlong ones included, as JavaScript Automerge reads column
 * data. Lenient decoders accept any such stream. Strict ones also enforce the canonical form of
 * compat §2.6 that JS Automerge requires in documents: repeat runs of at least two, no empty or
 * adjacent literals, no equal neighbours, no empty or adjacent null runs, and no nulls in a
 * non-nullable column. Not thread-safe.
 */
public abstract class RleDecoder {
  private static final int NONE = 0;
  private static final int RUN = 1;
  private static final int LITERAL = 2;
  private static final int NULLS = 3;

  protected final ByteReader reader;
  protected final String column;
  private final boolean strict;
  private final boolean nullable;
  private int kind = NONE;
  private int previousKind = NONE;
  private long remaining;
  private boolean hasLast;
  private long row;

  protected RleDecoder(ByteReader reader, String column, boolean strict, boolean nullable) {
    this.reader = reader;
    this.column = column;
    this.strict = strict;
    this.nullable = nullable;
  }

  /** Reads one value's payload into the subclass's slot. */
  protected abstract void readItem();

  /** Whether the slot equals the value emitted last. */
  protected abstract boolean itemEqualsLast();

  /** Remembers the slot as the value emitted last. */
  protected abstract void itemBecomesLast();

  /** Rows read so far. */
  public final long rowsRead() {
    return row;
  }

  /** True when every row has been read. */
  public final boolean isDone() {
    return remaining == 0 && !reader.hasRemaining();
  }

  /**
   * Advances to the next row.
   *
   * @return false if the row is null; otherwise the subclass's value holds it
   * @throws CorruptDataException if the column has no more rows or is malformed
   */
  public final boolean next() {
    while (remaining == 0) {
      loadSegment();
    }
    remaining--;
    row++;
    switch (kind) {
      case NULLS:
        return false;
      case RUN:
        return true;
      case LITERAL:
        int at = reader.position();
        readItem();
        if (strict && hasLast && itemEqualsLast()) {
          throw new CorruptDataException(
              column + ": literal value equal to its neighbour at byte " + at + " (not canonical)");
        }
        itemBecomesLast();
        hasLast = true;
        return true;
      default:
        throw new AssertionError(kind);
    }
  }

  /** Like {@link #next()}, but a null row is an error. */
  protected final void nextNonNull() {
    int at = reader.position();
    if (!next()) {
      throw new CorruptDataException(
          column + ": unexpected null at row " + (row - 1) + ", near byte " + at);
    }
  }

  /**
   * Checks that the column holds exactly the rows read.
   *
   * @throws CorruptDataException if rows remain
   */
  public final void expectDone() {
    // Lenient decoding lets empty null runs trail the last row.
    while (remaining == 0 && reader.hasRemaining()) {
      loadSegment();
    }
    if (!isDone()) {
      throw new CorruptDataException(
          column + ": more rows than the " + row + " expected, at byte " + reader.position());
    }
  }

  private void loadSegment() {
    if (!reader.hasRemaining()) {
      throw new CorruptDataException(
          column + ": column ends after " + row + " rows, at byte " + reader.position());
    }
    int at = reader.position();
    long count = reader.readAnySleb(column, " run header");
    if (count > 0) {
      readItem();
      if (strict) {
        if (count < 2) {
          throw nonCanonical("repeat run of " + count, at);
        }
        if (hasLast && itemEqualsLast()) {
          throw nonCanonical("repeat run with the same value as the run before it", at);
        }
      }
      itemBecomesLast();
      hasLast = true;
      setSegment(RUN, count);
    } else if (count < 0) {
      if (count == Long.MIN_VALUE || -count > reader.remaining()) {
        throw new CorruptDataException(
            column + ": literal of " + -count + " values runs past the end, at byte " + at);
      }
      if (strict && previousKind == LITERAL) {
        throw nonCanonical("two adjacent literal runs", at);
      }
      setSegment(LITERAL, -count);
    } else {
      long nulls = reader.readAnyUleb(column, " null count");
      if (nulls < 0) {
        throw new CorruptDataException(column + ": null run too long at byte " + at);
      }
      if (strict) {
        if (nulls == 0) {
          throw nonCanonical("empty null run", at);
        }
        if (previousKind == NULLS) {
          throw nonCanonical("two adjacent null runs", at);
        }
        if (!nullable) {
          throw nonCanonical("null in a non-nullable column", at);
        }
      }
      hasLast = false;
      setSegment(NULLS, nulls);
    }
  }

  private void setSegment(int newKind, long count) {
    previousKind = newKind;
    kind = newKind;
    remaining = count;
  }

  private CorruptDataException nonCanonical(String problem, int at) {
    return new CorruptDataException(
        column + ": " + problem + " at byte " + at + " (not canonical)");
  }
}
