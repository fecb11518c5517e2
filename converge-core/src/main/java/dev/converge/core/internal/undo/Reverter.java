package dev.converge.core.internal.undo;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeOp;
import dev.converge.core.ElemId;
import dev.converge.core.ExpandMark;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import dev.converge.core.internal.opset.LocalTransaction;
import dev.converge.core.internal.opset.OpLookup;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes, into one local transaction, ops that revert the visible effect of a group of changes of
 * this actor, newest op first, against the document as it is now. The rules, per op reverted (its
 * object is followed to where it lives now, through {@link Aliases}; an op whose object is gone, or
 * was made in the same group, is skipped):
 *
 * <ul>
 *   <li>A put (map key or list element): if the value put is still visible, the value it overwrote
 *       comes back as a new op (an object as a copy of its current content); if there was none, or
 *       another actor has since written a concurrent value there, or another actor also removed the
 *       old value, the put is only deleted.
 *   <li>An insert: the element is deleted, if its value is still ours.
 *   <li>A delete: the deleted value comes back, unless something is visible there again or another
 *       actor removed it too. A deleted element comes back as a new element inserted right after
 *       its tombstone, so it lands where it was, and text another actor inserted next to the
 *       tombstone stays on its side of it.
 *   <li>An increment: the same amount is subtracted, from the counter where it lives now.
 *   <li>A mark: see {@link MarkReverter}.
 * </ul>
 *
 * <p>What another actor wrote is never overwritten, deleted, or hidden: an object that holds
 * another actor's values is not removed.
 */
public final class Reverter {
  private final LocalTransaction tx;
  private final OpLookup lookup;
  private final Aliases aliases;
  private final ActorId self;
  private final ValueWriter writer;
  private final MarkReverter marks;
  private final Set<ObjId> madeInGroup = new HashSet<>();

  private Reverter(
      LocalTransaction tx, OpLookup lookup, Aliases aliases, MarkHistory history, ActorId self) {
    this.tx = tx;
    this.lookup = lookup;
    this.aliases = aliases;
    this.self = self;
    this.writer = new ValueWriter(tx, lookup, aliases);
    this.marks = new MarkReverter(lookup, aliases, history, writer, self);
  }

  /**
   * Writes into {@code tx} the ops that revert {@code group} (oldest change first), made by {@code
   * self}, and records the marks it writes in {@code history}. If anything throws, the aliases
   * recorded are taken back (the caller rolls back {@code tx}).
   */
  public static void revert(
      List<Change> group,
      LocalTransaction tx,
      OpLookup lookup,
      Aliases aliases,
      MarkHistory history,
      ActorId self) {
    int journal = aliases.journalSize();
    try {
      new Reverter(tx, lookup, aliases, history, self).revert(group);
      history.record(self, tx.startOp(), tx.ops(), lookup);
    } catch (RuntimeException | Error e) {
      aliases.truncate(journal);
      throw e;
    }
  }

  private void revert(List<Change> group) {
    for (Change change : group) {
      for (int i = 0; i < change.ops().size(); i++) {
        if (change.ops().get(i).action().makesObject()) {
          madeInGroup.add(ObjId.of(change.opId(i)));
        }
      }
    }
    for (int c = group.size() - 1; c >= 0; c--) {
      Change change = group.get(c);
      for (int i = change.ops().size() - 1; i >= 0; i--) {
        revertOp(change, i);
      }
    }
  }

  private void revertOp(Change change, int index) {
    ChangeOp op = change.ops().get(index);
    OpId id = change.opId(index);
    if (madeInGroup.contains(op.obj())) {
      return;
    }
    Optional<ObjId> live = liveObject(op.obj());
    if (live.isEmpty()) {
      return;
    }
    ObjId obj = live.get();
    if (op.action() == Action.MARK) {
      if (op.markName().isPresent()) {
        marks.revert(obj, inserted(id, op), op.markName().get(), expand(change, index));
      }
    } else if (op.action() == Action.INCREMENT) {
      revertIncrement(op, obj);
    } else if (op.action() == Action.DELETE) {
      if (op.key() instanceof Key.Prop) {
        restoreKey(op, obj);
      } else {
        restoreElement(op, obj);
      }
    } else if (op.insert()) {
      removeInserted(inserted(id, op), obj);
    } else {
      revertPut(op, new Placement(id, op.obj(), op.key()), obj);
    }
  }

  private static Placement inserted(OpId id, ChangeOp op) {
    return new Placement(id, op.obj(), Key.elem(ElemId.of(id)));
  }

  /** The mark's expand flags: the begin's "before", and "after" from its end op next to it. */
  private static ExpandMark expand(Change change, int beginIndex) {
    boolean before = change.ops().get(beginIndex).expand();
    boolean after = false;
    if (beginIndex + 1 < change.ops().size()) {
      ChangeOp end = change.ops().get(beginIndex + 1);
      after = end.action() == Action.MARK && end.markName().isEmpty() && end.expand();
    }
    if (before) {
      return after ? ExpandMark.BOTH : ExpandMark.BEFORE;
    }
    return after ? ExpandMark.AFTER : ExpandMark.NONE;
  }

  /**
   * Where the object {@code obj} lives now: itself or its newest copy that is reachable from the
   * root; empty when none is.
   */
  private Optional<ObjId> liveObject(ObjId obj) {
    if (obj.isRoot()) {
      return Optional.of(obj);
    }
    OpId make = obj.opId().orElseThrow();
    List<Placement> generations = aliases.closure(new Placement(make, obj, Key.prop("")), false);
    Optional<ObjId> newest = Optional.empty();
    for (Placement generation : generations) {
      ObjId candidate = ObjId.of(generation.op());
      if (lookup.reachable(candidate)
          && newest
              .map(found -> generation.op().compareTo(found.opId().orElseThrow()) > 0)
              .orElse(true)) {
        newest = Optional.of(candidate);
      }
    }
    return newest;
  }

  /** The op among {@code own} and its stand-ins that is visible in {@code obj}, if any. */
  private Optional<Placement> visibleIn(ObjId obj, Placement own) {
    List<Placement> generations = aliases.closure(own, true);
    for (int i = generations.size() - 1; i >= 0; i--) {
      Placement generation = generations.get(i);
      if (generation.obj().equals(obj)
          && lookup.visibleOps(obj, generation.key()).contains(generation.op())) {
        return Optional.of(generation);
      }
    }
    return Optional.empty();
  }

  /**
   * Where the content of the op {@code own} can be read now (its newest generation that still
   * exists), and that content.
   */
  private Optional<Value> contentOf(Placement own) {
    List<Placement> generations = aliases.closure(own, false);
    for (int i = generations.size() - 1; i >= 0; i--) {
      Placement generation = generations.get(i);
      if (lookup.exists(generation.obj())) {
        Optional<Value> value = lookup.valueOf(generation.obj(), generation.key(), generation.op());
        if (value.isPresent()) {
          return value;
        }
      }
    }
    return Optional.empty();
  }

  /** Whether removing {@code current} would hide an object holding another actor's values. */
  private boolean holdsOthers(Placement current) {
    ObjId made = ObjId.of(current.op());
    return lookup.exists(made) && lookup.containsOthers(made, self);
  }

  private void revertPut(ChangeOp op, Placement own, ObjId obj) {
    Optional<Placement> found = visibleIn(obj, own);
    if (found.isEmpty() || holdsOthers(found.get())) {
      return;
    }
    Placement current = found.get();
    List<OpId> pred = List.of(current.op());
    Optional<Value> old = Optional.empty();
    Optional<OpId> overwritten = op.pred().isEmpty() ? Optional.empty() : Optional.of(max(op));
    boolean alone = lookup.visibleOps(obj, current.key()).size() == 1;
    if (overwritten.isPresent()
        && alone
        && !lookup.removedByOther(op.obj(), op.key(), overwritten.get(), self)) {
      old = contentOf(new Placement(overwritten.get(), op.obj(), op.key()));
    }
    if (old.isEmpty()) {
      tx.applyOp(ValueWriter.op(obj, current.key(), false, Action.DELETE, ScalarValue.NULL, pred));
      return;
    }
    OpId written = writer.write(obj, current.key(), false, old.get(), pred);
    aliases.add(overwritten.get(), new Placement(written, obj, current.key()));
  }

  private void removeInserted(Placement own, ObjId obj) {
    Optional<Placement> found = visibleIn(obj, own);
    if (found.isEmpty() || holdsOthers(found.get())) {
      return;
    }
    Placement current = found.get();
    tx.applyOp(
        ValueWriter.op(
            obj, current.key(), false, Action.DELETE, ScalarValue.NULL, List.of(current.op())));
  }

  private void restoreKey(ChangeOp op, ObjId obj) {
    if (op.pred().isEmpty() || !lookup.visibleOps(obj, op.key()).isEmpty()) {
      return;
    }
    OpId deleted = max(op);
    if (lookup.removedByOther(op.obj(), op.key(), deleted, self)) {
      return;
    }
    Optional<Value> old = contentOf(new Placement(deleted, op.obj(), op.key()));
    if (old.isPresent()) {
      OpId written = writer.write(obj, op.key(), false, old.get(), List.of());
      aliases.add(deleted, new Placement(written, obj, op.key()));
    }
  }

  private void restoreElement(ChangeOp op, ObjId obj) {
    ElemId elem = ((Key.Elem) op.key()).elemId();
    Placement element = new Placement(elem.opId().orElseThrow(), op.obj(), op.key());
    for (Placement generation : aliases.closure(element, true)) {
      if (generation.obj().equals(obj)
          && lookup.elementVisible(obj, ((Key.Elem) generation.key()).elemId())) {
        return;
      }
    }
    if (op.pred().isEmpty()) {
      return;
    }
    OpId deleted = max(op);
    if (lookup.removedByOther(op.obj(), op.key(), deleted, self)) {
      return;
    }
    Optional<Value> old = contentOf(new Placement(deleted, op.obj(), op.key()));
    if (old.isEmpty()) {
      return;
    }
    ElemId after = referenceIn(obj, elem, op.obj());
    OpId written = writer.write(obj, Key.elem(after), true, old.get(), List.of());
    Placement placement = new Placement(written, obj, Key.elem(ElemId.of(written)));
    // The element first: a stand-in's origin is the first op recorded for it.
    if (deleted.equals(element.op())) {
      aliases.add(deleted, placement);
    } else {
      aliases.addElement(element.op(), placement);
      aliases.add(deleted, placement);
    }
  }

  /**
   * The element of {@code obj} after which the element {@code elem} of {@code original} goes back:
   * its own tombstone when it lives in {@code obj}; else the newest stand-in in {@code obj} of the
   * nearest element before it; HEAD when there is none.
   */
  private ElemId referenceIn(ObjId obj, ElemId elem, ObjId original) {
    ElemId candidate = elem;
    while (!candidate.isHead()) {
      List<Placement> generations =
          aliases.closure(
              new Placement(candidate.opId().orElseThrow(), original, Key.elem(candidate)), true);
      for (int i = generations.size() - 1; i >= 0; i--) {
        Placement generation = generations.get(i);
        ElemId standIn = ((Key.Elem) generation.key()).elemId();
        if (generation.obj().equals(obj) && lookup.elementExists(obj, standIn)) {
          return standIn;
        }
      }
      candidate = lookup.before(original, candidate);
    }
    return ElemId.HEAD;
  }

  private void revertIncrement(ChangeOp op, ObjId obj) {
    if (op.pred().isEmpty()) {
      return;
    }
    Optional<Placement> counter =
        visibleIn(obj, new Placement(op.pred().get(0), op.obj(), op.key()));
    if (counter.isEmpty()) {
      return;
    }
    long by = incrementOf(op.value());
    tx.applyOp(
        ValueWriter.op(
            obj,
            counter.get().key(),
            false,
            Action.INCREMENT,
            ScalarValue.integer(-by),
            List.of(counter.get().op())));
  }

  private static long incrementOf(ScalarValue value) {
    if (value instanceof ScalarValue.Int i) {
      return i.value();
    }
    if (value instanceof ScalarValue.Uint u) {
      return u.value();
    }
    if (value instanceof ScalarValue.Counter c) {
      return c.value();
    }
    throw new IllegalStateException("increment by a non-integer " + value);
  }

  /** The winner among the ops {@code op} overwrote or deleted: the greatest op ID. */
  private static OpId max(ChangeOp op) {
    return Collections.max(op.pred());
  }
}
