package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;

/**
 * Decodes a boolean column: alternating uLEB run lengths starting with false. Strict decoding also
 * rejects a zero count anywhere but first and a trailing zero count, as JS Automerge does in
 * documents. Not thread-safe.
 */
public final class BooleanDecoder {
  private final ByteReader reader;
  private final String column;
  private final boolean strict;
  private boolean current = true;
  private long remaining;
  private long runs;
  private long row;

  public BooleanDecoder(ByteReader reader, String column, boolean strict) {
    this.reader = reader;
    this.column = column;
    this.strict = strict;
  }

  /**
   * Reads the next row.
   *
   * @throws CorruptDataException if the column has no more rows
   */
  public boolean next() {
    while (remaining == 0) {
      if (!reader.hasRemaining()) {
        throw new CorruptDataException(
            column + ": column ends after " + row + " rows, at byte " + reader.position());
      }
      int at = reader.position();
      long count = reader.readAnyUleb(column, " run length");
      if (count < 0) {
        throw new CorruptDataException(column + ": run too long at byte " + at);
      }
      if (strict && count == 0 && (runs > 0 || !reader.hasRemaining())) {
        throw new CorruptDataException(
            column + ": zero-length run at byte " + at + " (not canonical)");
      }
      runs++;
      current = !current;
      remaining = count;
    }
    remaining--;
    row++;
    return current;
  }

  public boolean isDone() {
    return remaining == 0 && !reader.hasRemaining();
  }

  public void expectDone() {
    // Lenient decoding lets zero-length runs trail the last row.
    while (remaining == 0 && reader.hasRemaining()) {
      int at = reader.position();
      long count = reader.readAnyUleb(column, " run length");
      if (strict && count == 0) {
        throw new CorruptDataException(
            column + ": zero-length run at byte " + at + " (not canonical)");
      }
      current = !current;
      remaining = count;
    }
    if (!isDone()) {
      throw new CorruptDataException(
          column + ": more rows than the " + row + " expected, at byte " + reader.position());
    }
  }
}
