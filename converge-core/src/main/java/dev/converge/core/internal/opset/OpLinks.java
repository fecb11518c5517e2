package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an op of a change joins an {@link OpSet}: the stored op made for it, its place among the ops
 * at its key or element (in op ID order), and the predecessors it overwrites or increments. Each
 * mutation records its inverse in the {@link UndoLog}, when there is one.
 */
final class OpLinks {
  private final ActorTable actors;

  OpLinks(ActorTable actors) {
    this.actors = actors;
  }

  /** An element that never shows: an inserted delete, kept as JavaScript keeps it. */
  static Op newElement(ChangeOp change, long counter, int actor, @Nullable Op reference) {
    requireCounterFits(counter);
    return new Op(
        counter,
        actor,
        change.action(),
        true,
        change.value(),
        null,
        reference,
        change.markName().orElse(null),
        change.expand());
  }

  /** The stored op for {@code change}, or null for a delete, which is never stored. */
  static @Nullable Op newOp(
      ChangeOp change, long counter, int actor, @Nullable String key, @Nullable Op elem) {
    requireCounterFits(counter);
    if (change.action() == Action.DELETE) {
      return null;
    }
    if (change.action() == Action.INCREMENT
        && !(change.value() instanceof ScalarValue.Int
            || change.value() instanceof ScalarValue.Uint
            || change.value() instanceof ScalarValue.Counter)) {
      throw new CorruptDataException(
          "increment op " + counter + " has a non-integer value " + change.value());
    }
    return new Op(
        counter,
        actor,
        change.action(),
        change.insert(),
        change.value(),
        key,
        elem,
        change.markName().orElse(null),
        change.expand());
  }

  private static void requireCounterFits(long counter) {
    if (counter > OpSet.COUNTER_MAX) {
      // Automerge holds op counters in 32 bits too; a change whose ops pass that is not loadable.
      throw new CorruptDataException(
          "op counter "
              + counter
              + " exceeds "
              + OpSet.COUNTER_MAX
              + ", the largest Automerge holds");
    }
  }

  /**
   * Marks each predecessor overwritten (or incremented) by {@code op}. Predecessors are looked up
   * among the ops at the same key or element, then, as JavaScript finds them, anywhere in the same
   * object (only a change no Automerge wrote names an op at another key); one that is not there is
   * ignored.
   */
  void linkPreds(
      List<Op> slot,
      @Nullable Op element,
      List<OpId> preds,
      @Nullable Op op,
      long successor,
      @Nullable UndoLog undo,
      ObjState obj) {
    if (preds.isEmpty()) {
      return;
    }
    for (OpId predId : preds) {
      int predActor = actors.indexOf(predId.actor());
      if (predActor < 0) {
        continue;
      }
      @Nullable Op pred = find(slot, element, predId.counter(), predActor);
      if (pred != null) {
        link(pred, op, successor, undo);
        continue;
      }
      pred = findInObject(obj, predId.counter(), predActor);
      if (pred == null) {
        continue;
      }
      // Found at another element: that element may show something else once pred is hidden.
      @Nullable Op other = obj instanceof SeqObj ? (pred.insert() ? pred : pred.elem()) : null;
      @Nullable Op shownBefore = other == null ? null : OpSet.winner(other);
      link(pred, op, successor, undo);
      if (other != null) {
        reshow((SeqObj) obj, other, shownBefore, undo);
      }
    }
  }

  private static void link(Op pred, @Nullable Op op, long successor, @Nullable UndoLog undo) {
    // An increment adds to a counter but hides anything else it names, as Automerge decides
    // visibility: no successors, or a counter whose successors are all increments.
    if (op != null
        && op.action() == Action.INCREMENT
        && pred.value instanceof ScalarValue.Counter) {
      List<Op> incs = pred.incsForAdding();
      incs.add(op);
      if (undo != null) {
        undo.record(() -> incs.remove(op));
      }
    } else {
      pred.addSucc(successor);
      if (undo != null) {
        undo.record(() -> pred.removeSucc(successor));
      }
    }
  }

  /** An op of {@code obj} at any key or element, or null. */
  private static @Nullable Op findInObject(ObjState obj, long counter, int actor) {
    if (obj instanceof MapObj map) {
      for (List<Op> slot : map.keys.values()) {
        @Nullable Op found = find(slot, null, counter, actor);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    SeqObj seq = (SeqObj) obj;
    Op element = seq.elements.get(counter, actor);
    if (element != null) {
      return element;
    }
    for (Op each = seq.tree.first(); each != null; each = seq.tree.next(each)) {
      List<Op> others = each.others();
      if (others != null) {
        @Nullable Op found = find(others, null, counter, actor);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** Shows what an element's winner is now, after an op at another element hid one of its ops. */
  private static void reshow(
      SeqObj seq, Op element, @Nullable Op shownBefore, @Nullable UndoLog undo) {
    if (seq.elements.get(element.counter(), element.actor) != element) {
      return;
    }
    @Nullable Op shownAfter = OpSet.winner(element);
    if (shownAfter != shownBefore) {
      seq.tree.setShown(element, shownAfter);
      if (undo != null) {
        undo.record(() -> seq.tree.setShown(element, shownBefore));
      }
    }
  }

  private static @Nullable Op find(List<Op> slot, @Nullable Op element, long counter, int actor) {
    if (element != null && element.counter() == counter && element.actor == actor) {
      return element;
    }
    for (int i = slot.size() - 1; i >= 0; i--) {
      Op candidate = slot.get(i);
      if (candidate.counter() == counter && candidate.actor == actor) {
        return candidate;
      }
    }
    return null;
  }

  void addSorted(List<Op> slot, Op op, @Nullable UndoLog undo) {
    int index = slot.size();
    while (index > 0) {
      Op before = slot.get(index - 1);
      if (actors.compare(before.counter(), before.actor, op.counter(), op.actor) < 0) {
        break;
      }
      index--;
    }
    slot.add(index, op);
    if (undo != null) {
      undo.record(() -> slot.remove(op));
    }
  }
}
