package dev.converge.core.internal.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ActorId;
import dev.converge.core.CorruptDataException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which change an op belongs to, as JavaScript Automerge decides when it rebuilds changes. */
class ChangeRangesTest {
  private static final List<ActorId> ACTORS = List.of(ActorId.fromHex("aa"), ActorId.fromHex("bb"));

  /** Rows of (actor, seq, maxOp, deps...). */
  private static DocChanges changes(long[]... rows) {
    DocChanges changes = DocChanges.withCapacity(ACTORS, rows.length, 8);
    for (long[] row : rows) {
      changes.add((int) row[0], row[1], row[2], 0, null, new byte[0]);
      for (int d = 3; d < row.length; d++) {
        changes.addDep((int) row[d]);
      }
    }
    return changes;
  }

  @Test
  void rowFor_change_claimsFromAfterItsDepsLargestMaxOp() {
    // a1: ops 1..3; b1 (after a1): ops 4..5; a2 (after b1): ops 6..6.
    ChangeRanges ranges =
        new ChangeRanges(
            changes(new long[] {0, 1, 3}, new long[] {1, 1, 5, 0}, new long[] {0, 2, 6, 1}), 2, 6);
    assertEquals(0, ranges.rowFor(0, 2));
    assertEquals(1, ranges.rowFor(1, 4));
    assertEquals(2, ranges.rowFor(0, 6));
    // Counter 4 of actor a lies in no range of a: the op belongs to no change.
    assertEquals(-1, ranges.rowFor(0, 4));
    assertEquals(4, ranges.start(1));
  }

  @Test
  void rowFor_overlappingRanges_resolvedByRustsBinarySearch() {
    // Three changes of actor a, all without deps, claim 1..5, 1..3 and 1..9. Rust's search over
    // [1..5, 1..3, 1..9] (sorted by seq) for counter 2: size 3, half 1, mid 1 holds it -> base 1;
    // size 2, half 1, mid 2 holds it -> base 2; so row 2.
    ChangeRanges ranges =
        new ChangeRanges(
            changes(new long[] {0, 1, 5}, new long[] {0, 2, 3}, new long[] {0, 3, 9}), 2, 9);
    assertEquals(2, ranges.rowFor(0, 2));
    assertEquals(2, ranges.rowFor(0, 7));
  }

  @Test
  void new_depWithLargerMaxOp_refused() {
    assertThrows(
        CorruptDataException.class,
        () -> new ChangeRanges(changes(new long[] {0, 1, 5}, new long[] {1, 1, 3, 0}), 2, 5));
  }
}
