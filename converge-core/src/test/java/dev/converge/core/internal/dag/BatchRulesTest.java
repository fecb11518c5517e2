package dev.converge.core.internal.dag;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.change.ChangeChunks;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batch checks JavaScript Automerge makes before it applies changes. */
class BatchRulesTest {
  private static final ActorId A = ActorId.fromHex("aa");
  private static final ActorId B = ActorId.fromHex("bb");

  private static Change change(
      ActorId actor, long seq, long startOp, List<ChangeHash> deps, List<ChangeOp> ops) {
    return ChangeChunks.encode(actor, seq, startOp, 0, Optional.empty(), deps, ops, new byte[0]);
  }

  private static ChangeOp put(String key, List<OpId> pred) {
    return new ChangeOp(
        ObjId.ROOT,
        Key.prop(key),
        false,
        Action.SET,
        ScalarValue.integer(1),
        pred,
        false,
        Optional.empty());
  }

  private static void check(List<Change> incoming) {
    BatchRules.check(incoming, List.of(), hash -> false, actor -> false, actor -> 0);
  }

  @Test
  void check_orderedChanges_accepted() {
    Change a1 = change(A, 1, 1, List.of(), List.of(put("x", List.of())));
    Change b1 = change(B, 1, 2, List.of(a1.hash()), List.of(put("x", List.of(new OpId(1, A)))));
    assertDoesNotThrow(() -> check(List.of(b1, a1)));
  }

  @Test
  void check_actorsChangesAppliedOutOfSeqOrder_refused() {
    // a3 does not depend on a2, so JavaScript applies it right after a1: seq 3 after 1.
    Change a1 = change(A, 1, 1, List.of(), List.of());
    Change a2 = change(A, 2, 1, List.of(a1.hash()), List.of());
    Change a3 = change(A, 3, 1, List.of(), List.of());
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> check(List.of(a1, a2, a3)));
    assertTrue(String.valueOf(e.getMessage()).contains("seq 3 after seq 1"), e.getMessage());
  }

  @Test
  void check_seqUsedTwice_refused() {
    Change first = change(A, 1, 1, List.of(), List.of(put("x", List.of())));
    Change second = change(A, 1, 1, List.of(), List.of(put("y", List.of())));
    assertThrows(CorruptDataException.class, () -> check(List.of(first, second)));
    assertThrows(
        CorruptDataException.class,
        () -> BatchRules.check(List.of(first), List.of(), h -> false, a -> true, a -> 1));
  }

  @Test
  void check_otherActorNotAnAuthor_refused() {
    Change a1 = change(A, 1, 1, List.of(), List.of(put("x", List.of(new OpId(1, B)))));
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> check(List.of(a1)));
    assertTrue(String.valueOf(e.getMessage()).contains("author of no change"), e.getMessage());
    // Known to the document, or the author of a first change in the batch: fine.
    assertDoesNotThrow(
        () -> BatchRules.check(List.of(a1), List.of(), h -> false, Set.of(B)::contains, a -> 0));
    Change b1 = change(B, 1, 1, List.of(), List.of());
    assertDoesNotThrow(() -> check(List.of(a1, b1)));
  }
}
