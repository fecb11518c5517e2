package dev.converge.core.internal.undo;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeOp;
import dev.converge.core.ElemId;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.internal.opset.OpLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What each recorded mark covered up: for every element (visible or deleted) a mark begin covers,
 * the mark that won its name there just before the mark's change, or none. Reverting the mark
 * writes these values back. They are recorded when the change is made, because afterwards the
 * document cannot tell them apart from later layers: a mark that an undo covered up is still in
 * force underneath, and would show through again.
 *
 * <p>Not thread-safe; owned by one undo manager.
 */
public final class MarkHistory {
  private final Map<OpId, Map<ElemId, Optional<OpLookup.ActiveMark>>> priors = new HashMap<>();

  /**
   * Records the marks among {@code ops}, the ops of a change by {@code actor} from {@code startOp},
   * as the document read through {@code lookup} has just applied them.
   */
  public void record(ActorId actor, long startOp, List<ChangeOp> ops, OpLookup lookup) {
    Map<ObjId, List<Integer>> beginsByText = new LinkedHashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      ChangeOp op = ops.get(i);
      if (op.action() == Action.MARK && op.markName().isPresent()) {
        beginsByText.computeIfAbsent(op.obj(), text -> new ArrayList<>()).add(i);
      }
    }
    long maxOp = startOp + ops.size() - 1;
    for (Map.Entry<ObjId, List<Integer>> text : beginsByText.entrySet()) {
      List<OpLookup.MarkedElement> elements = lookup.markedElements(text.getKey(), true);
      for (int index : text.getValue()) {
        OpId begin = new OpId(startOp + index, actor);
        String name = ops.get(index).markName().orElseThrow();
        Map<ElemId, Optional<OpLookup.ActiveMark>> prior = new HashMap<>();
        for (OpLookup.MarkedElement element : elements) {
          if (covers(element, begin)) {
            prior.put(
                element.elem(), Optional.ofNullable(before(element, name, actor, startOp, maxOp)));
          }
        }
        priors.put(begin, prior);
      }
    }
  }

  private static boolean covers(OpLookup.MarkedElement element, OpId begin) {
    for (OpLookup.ActiveMark mark : element.marks()) {
      if (mark.begin().equals(begin)) {
        return true;
      }
    }
    return false;
  }

  /** The greatest mark for {@code name} on the element, leaving out the change's own. */
  private static OpLookup.@Nullable ActiveMark before(
      OpLookup.MarkedElement element, String name, ActorId actor, long startOp, long maxOp) {
    OpLookup.@Nullable ActiveMark winner = null;
    for (OpLookup.ActiveMark mark : element.marks()) {
      OpId id = mark.begin();
      boolean own = id.actor().equals(actor) && id.counter() >= startOp && id.counter() <= maxOp;
      if (!own && mark.name().equals(name)) {
        winner = mark;
      }
    }
    return winner;
  }

  /** The record of the mark {@code begin}: element to the mark it covered up; empty if none. */
  Map<ElemId, Optional<OpLookup.ActiveMark>> priorOf(OpId begin) {
    return priors.getOrDefault(begin, Map.of());
  }
}
