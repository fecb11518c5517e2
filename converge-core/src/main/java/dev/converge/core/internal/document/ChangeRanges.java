package dev.converge.core.internal.document;

import dev.converge.core.CorruptDataException;
import java.util.Arrays;

/**
 * Which stored change an op belongs to, decided as JavaScript Automerge 3.5 decides it when it
 * rebuilds a document's changes.
 *
 * <p>Each change row claims the counters {@code (m, maxOp]} of its actor, where {@code m} is the
 * largest maxOp among its deps (0 without deps); a dep with a larger maxOp than the change's own is
 * refused. The changes are sorted by actor and seq, and an op's change is found by a binary search
 * over them with Rust's algorithm, comparing the actor and then the counter with the range. When
 * each actor's ranges are disjoint and ascending in seq order, as in every file JavaScript writes,
 * the search finds the one range that holds the counter, and a table answers instead (a binary
 * search per op was a tenth of a load); otherwise the search itself runs, so that files with
 * overlapping ranges resolve as they do in JavaScript. An op that no search finds belongs to no
 * change: JavaScript keeps it in the document and leaves it out of every change.
 */
final class ChangeRanges {
  /** Per row: the first counter of its range; its last is its maxOp. */
  private final long[] start;

  private final long[] end;
  private final int[] actorOfRow;
  private final long[] seqOfRow;

  /** Rows sorted by actor, then seq. */
  private final int[] sorted;

  /** Per actor index, when its ranges allow: the row of each counter up to its last maxOp. */
  private final int[][] rowOfCounter;

  private final boolean monotone;

  ChangeRanges(DocChanges changes, int actorCount, int opCount) {
    int rows = changes.size();
    start = new long[rows];
    end = new long[rows];
    actorOfRow = new int[rows];
    seqOfRow = new long[rows];
    for (int row = 0; row < rows; row++) {
      long maxOp = changes.maxOp(row);
      long depMax = 0;
      for (int d = 0; d < changes.depCount(row); d++) {
        depMax = Math.max(depMax, changes.maxOp(changes.depRow(row, d)));
      }
      if (depMax > maxOp) {
        throw new CorruptDataException(
            "max_op is lower than start_op: change row "
                + row
                + " has maxOp "
                + maxOp
                + " but a dep has "
                + depMax);
      }
      start[row] = depMax + 1;
      end[row] = maxOp;
      actorOfRow[row] = changes.actorIndex(row);
      seqOfRow[row] = changes.seq(row);
    }
    sorted = sortedRows(rows, actorCount);
    monotone = isMonotone();
    rowOfCounter = monotone ? tables(actorCount, opCount) : new int[actorCount][];
  }

  /** The rows sorted by actor then seq; rows of equal actor and seq keep their order. */
  private int[] sortedRows(int rows, int actorCount) {
    // Every file Automerge writes lists each actor's changes in seq order, so a stable counting
    // sort by actor is the whole sort; boxing every row for a comparison sort was a tenth of the
    // rebuild. Files that do not fall back to that sort.
    int[] bucket = new int[actorCount + 1];
    for (int row = 0; row < rows; row++) {
      bucket[actorOfRow[row] + 1]++;
    }
    for (int actor = 0; actor < actorCount; actor++) {
      bucket[actor + 1] += bucket[actor];
    }
    int[] out = new int[rows];
    for (int row = 0; row < rows; row++) {
      out[bucket[actorOfRow[row]]++] = row;
    }
    for (int i = 1; i < rows; i++) {
      if (actorOfRow[out[i - 1]] == actorOfRow[out[i]] && seqOfRow[out[i - 1]] > seqOfRow[out[i]]) {
        return sortedByComparison(rows);
      }
    }
    return out;
  }

  private int[] sortedByComparison(int rows) {
    Integer[] boxed = new Integer[rows];
    for (int row = 0; row < rows; row++) {
      boxed[row] = row;
    }
    Arrays.sort(
        boxed,
        (a, b) -> {
          int byActor = Integer.compare(actorOfRow[a], actorOfRow[b]);
          return byActor != 0 ? byActor : Long.compare(seqOfRow[a], seqOfRow[b]);
        });
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = boxed[i];
    }
    return out;
  }

  /** Whether each actor's ranges, in sorted order, are disjoint and ascending. */
  private boolean isMonotone() {
    for (int i = 1; i < sorted.length; i++) {
      int previous = sorted[i - 1];
      int row = sorted[i];
      if (actorOfRow[previous] == actorOfRow[row] && end[previous] >= start[row]) {
        return false;
      }
    }
    return true;
  }

  /** Tables for the actors whose counters span at most about twice the op count in all. */
  private int[][] tables(int actorCount, int opCount) {
    int[][] tables = new int[actorCount][];
    long budget = 2L * opCount + 1024;
    int i = 0;
    while (i < sorted.length) {
      int actor = actorOfRow[sorted[i]];
      int j = i;
      long span = 0;
      while (j < sorted.length && actorOfRow[sorted[j]] == actor) {
        span = Math.max(span, end[sorted[j]]);
        j++;
      }
      if (span > 0 && span <= budget) {
        budget -= span;
        int[] table = new int[(int) span];
        Arrays.fill(table, -1);
        for (int k = i; k < j; k++) {
          int row = sorted[k];
          for (long counter = start[row]; counter <= end[row]; counter++) {
            table[(int) counter - 1] = row;
          }
        }
        tables[actor] = table;
      }
      i = j;
    }
    return tables;
  }

  /** The first counter of the range of {@code row}. */
  long start(int row) {
    return start[row];
  }

  /** The row whose range holds op {@code counter} of {@code actor}, or -1 for none. */
  int rowFor(int actor, long counter) {
    int[] table = monotone ? rowOfCounter[actor] : null;
    if (table != null) {
      return counter >= 1 && counter <= table.length ? table[(int) counter - 1] : -1;
    }
    return search(actor, counter);
  }

  /** Rust's {@code slice::binary_search_by}, step for step, over the sorted rows. */
  private int search(int actor, long counter) {
    int size = sorted.length;
    if (size == 0) {
      return -1;
    }
    int base = 0;
    while (size > 1) {
      int half = size / 2;
      int mid = base + half;
      if (compare(sorted[mid], actor, counter) <= 0) {
        base = mid;
      }
      size -= half;
    }
    return compare(sorted[base], actor, counter) == 0 ? sorted[base] : -1;
  }

  /** The row compared with the op: below (-1), holding it (0) or above it (1). */
  private int compare(int row, int actor, long counter) {
    int byActor = Integer.compare(actorOfRow[row], actor);
    if (byActor != 0) {
      return byActor;
    }
    if (counter < start[row]) {
      return 1;
    }
    return counter > end[row] ? -1 : 0;
  }
}
