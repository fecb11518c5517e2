package dev.converge.core.internal.document;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ScalarValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mark ends must follow their begins in the stored op order, in the same object. */
class MarkOrderTest {
  private static final List<ActorId> ACTORS = List.of(ActorId.fromHex("aa"));

  /** Mark ops as (object counter, op counter, begin?), inserted in one text object. */
  private static DocOps marks(long[]... rows) {
    DocOps ops = DocOps.withCapacity(ACTORS, rows.length);
    for (long[] row : rows) {
      int r = ops.addRow();
      ops.setObj(r, 0, row[0]);
      ops.setElemKey(r, -1, 0);
      ops.setOp(r, 0, row[1], true, Action.MARK, ScalarValue.TRUE, false, row[2] == 1 ? "b" : null);
    }
    return ops;
  }

  @Test
  void check_beginThenEnd_accepted() {
    assertDoesNotThrow(() -> MarkOrder.check(marks(new long[] {1, 5, 1}, new long[] {1, 6, 0})));
    // A begin alone is fine too.
    assertDoesNotThrow(() -> MarkOrder.check(marks(new long[] {1, 5, 1})));
  }

  @Test
  void check_endBeforeBegin_refused() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> MarkOrder.check(marks(new long[] {1, 6, 0}, new long[] {1, 5, 1})));
    assertTrue(String.valueOf(e.getMessage()).contains("comes before its begin"), e.getMessage());
  }

  @Test
  void check_endInAnotherObject_refused() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> MarkOrder.check(marks(new long[] {1, 5, 1}, new long[] {2, 6, 0})));
    assertTrue(String.valueOf(e.getMessage()).contains("different object"), e.getMessage());
  }
}
