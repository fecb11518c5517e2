package dev.converge.core.internal.codec;

/**
 * Sizes an RLE column of uLEB values ahead of decoding it (compat §1.3 runs), so that the arrays a
 * decoder fills are made once at their size instead of doubled up to it. Only a hint: it reads a
 * copy of the column, stops at a cap, and a malformed column just ends the count early; decoding
 * reports the fault.
 */
public final class RleRows {
  private RleRows() {}

  /** The column's rows, at most {@code cap}. */
  public static int count(ByteReader column, int cap) {
    return (int) scan(column, cap, false);
  }

  /** The sum of the column's values (a group column's total entries), at most {@code cap}. */
  public static int sum(ByteReader column, int cap) {
    return (int) scan(column, cap, true);
  }

  private static long scan(ByteReader column, int cap, boolean summing) {
    ByteReader copy = new ByteReader(column.array(), column.position(), column.remaining());
    long total = 0;
    try {
      while (copy.hasRemaining() && total < cap) {
        long run = copy.readAnySleb("size hint", "");
        if (run > 0) {
          long value = copy.readAnyUleb("size hint", "");
          total = add(total, summing ? times(run, value, cap) : run, cap);
        } else if (run < 0) {
          for (long i = run; i < 0 && total < cap; i++) {
            long value = copy.readAnyUleb("size hint", "");
            total = add(total, summing ? value : 1, cap);
          }
        } else {
          long nulls = copy.readAnyUleb("size hint", "");
          total = add(total, summing ? 0 : nulls, cap);
        }
      }
    } catch (RuntimeException malformed) {
      // The decoder will say what is wrong; a hint needs no more than what was read.
    }
    return total;
  }

  /** {@code total + more}, at most {@code cap}; a uLEB past 2^63 reads as negative: huge. */
  private static long add(long total, long more, long cap) {
    return more < 0 || more >= cap - total ? cap : total + more;
  }

  private static long times(long run, long value, long cap) {
    if (value < 0) {
      return cap;
    }
    return value != 0 && run > cap / value ? cap : run * value;
  }
}
