package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.CorruptDataException;
import java.util.HashMap;
import java.util.Map;

/**
 * The mark rule JavaScript Automerge 3.5 checks when it rebuilds a document: in the stored op
 * order, a mark end (a mark op without a name) must come after its begin (the mark op with a name
 * and the counter before it, of the same actor), in the same object. A begin without an end is
 * fine. Stateless.
 */
final class MarkOrder {
  private MarkOrder() {}

  /**
   * @throws CorruptDataException if a mark end comes before its begin or names a begin in another
   *     object
   */
  static void check(DocOps ops) {
    Map<Long, Long> begins = null;
    for (int row = 0; row < ops.size(); row++) {
      if (ops.action(row) != Action.MARK) {
        continue;
      }
      if (begins == null) {
        begins = new HashMap<>();
      }
      long id = pack(ops.idCounter(row), ops.idActor(row));
      long obj = pack(ops.objCounter(row), ops.objActor(row));
      if (ops.markName(row) != null) {
        begins.put(id, obj);
        continue;
      }
      Long beginObj = begins.get(pack(ops.idCounter(row) - 1, ops.idActor(row)));
      if (beginObj == null || beginObj.longValue() != obj) {
        throw new CorruptDataException(
            "invalid mark operation order: mark end "
                + ops.opId(ops.idActor(row), ops.idCounter(row))
                + (beginObj == null
                    ? " comes before its begin"
                    : " names a begin in a different object"));
      }
    }
  }

  private static long pack(long counter, int actor) {
    // Counters fit 32 bits; actor -1 (the root's) stays apart from every real actor.
    return (counter << 32) ^ (actor & 0xffff_ffffL);
  }
}
