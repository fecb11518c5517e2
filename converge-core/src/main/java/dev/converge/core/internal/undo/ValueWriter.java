package dev.converge.core.internal.undo;

import dev.converge.core.Action;
import dev.converge.core.ChangeOp;
import dev.converge.core.ElemId;
import dev.converge.core.ExpandMark;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import dev.converge.core.internal.opset.LocalTransaction;
import dev.converge.core.internal.opset.MarkOps;
import dev.converge.core.internal.opset.OpLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a value back as new ops: a scalar as one op, an object as a new object of the same type
 * holding a copy of the old one's current content (its visible values, elements and marks, at any
 * depth). Every copied op is recorded as an alias of the op it copies, so later reverts that name
 * the old ops find the copies.
 *
 * <p>Nesting depth comes from peers, so objects are copied from an explicit stack, not by
 * recursion.
 */
final class ValueWriter {
  private final LocalTransaction tx;
  private final OpLookup lookup;
  private final Aliases aliases;

  ValueWriter(LocalTransaction tx, OpLookup lookup, Aliases aliases) {
    this.tx = tx;
    this.lookup = lookup;
    this.aliases = aliases;
  }

  /** A copy still to fill: the old object and the new one. */
  private record Pending(ObjId from, ObjId to) {}

  /**
   * Writes {@code value} at {@code key} of {@code obj} (inserting after the element {@code key}
   * names when {@code insert}), overwriting {@code pred}.
   *
   * @return the new op's ID
   */
  OpId write(ObjId obj, Key key, boolean insert, Value value, List<OpId> pred) {
    List<Pending> stack = new ArrayList<>();
    OpId written = writeShallow(obj, key, insert, value, pred, stack);
    while (!stack.isEmpty()) {
      Pending next = stack.remove(stack.size() - 1);
      if (lookup.type(next.from()).isSequence()) {
        copyElements(next, stack);
      } else {
        copyEntries(next, stack);
      }
    }
    return written;
  }

  private OpId writeShallow(
      ObjId obj, Key key, boolean insert, Value value, List<OpId> pred, List<Pending> stack) {
    if (value instanceof Value.Scalar scalar) {
      return tx.applyOp(op(obj, key, insert, Action.SET, scalar.value(), pred));
    }
    Value.Obj object = (Value.Obj) value;
    OpId made =
        tx.applyOp(op(obj, key, insert, object.type().makeAction(), ScalarValue.NULL, pred));
    stack.add(new Pending(object.id(), ObjId.of(made)));
    return made;
  }

  private void copyEntries(Pending copy, List<Pending> stack) {
    for (OpLookup.Entry entry : lookup.entries(copy.from())) {
      Key key = Key.prop(entry.key());
      OpId written = writeShallow(copy.to(), key, false, entry.value(), List.of(), stack);
      aliases.add(entry.winner(), new Placement(written, copy.to(), key));
    }
  }

  private void copyElements(Pending copy, List<Pending> stack) {
    List<OpLookup.MarkSpan> marks =
        lookup.type(copy.from()) == ObjType.TEXT ? lookup.markSpans(copy.from()) : List.of();
    if (marks.isEmpty()) {
      copyVisible(copy, stack);
    } else {
      copyStructure(copy, marks, stack);
    }
  }

  private void copyVisible(Pending copy, List<Pending> stack) {
    ElemId previous = ElemId.HEAD;
    for (OpLookup.Element element : lookup.elements(copy.from())) {
      previous =
          copyElement(copy, previous, element.elem(), element.winner(), element.value(), stack);
    }
  }

  /**
   * Copies a text with marks as its anchors lay it out: every element, deleted ones too (inserted
   * and deleted again), and every mark over the same elements, in the same op order, so that each
   * character is under the same marks with the same winners, and a later revert of a mark or of a
   * deletion finds its place in the copy as in the original.
   */
  private void copyStructure(Pending copy, List<OpLookup.MarkSpan> marks, List<Pending> stack) {
    Map<ElemId, ElemId> copied = new HashMap<>();
    Map<ElemId, ElemId> copiedBefore = new HashMap<>();
    ElemId previous = ElemId.HEAD;
    for (OpLookup.SeqEntry entry : lookup.allElements(copy.from())) {
      ElemId created;
      if (entry.visible()) {
        created = copyElement(copy, previous, entry.elem(), entry.winner(), entry.value(), stack);
      } else {
        Value placeholder =
            entry.value() instanceof Value.Scalar ? entry.value() : Value.of(ScalarValue.NULL);
        OpId written =
            writeShallow(copy.to(), Key.elem(previous), true, placeholder, List.of(), stack);
        created = ElemId.of(written);
        tx.applyOp(
            op(
                copy.to(),
                Key.elem(created),
                false,
                Action.DELETE,
                ScalarValue.NULL,
                List.of(written)));
        aliases.addElement(
            entry.elem().opId().orElseThrow(),
            new Placement(written, copy.to(), Key.elem(created)));
      }
      copied.put(entry.elem(), created);
      copiedBefore.put(entry.elem(), previous);
      previous = created;
    }
    for (OpLookup.MarkSpan span : marks) {
      OpLookup.ActiveMark mark = span.mark();
      OpId begin =
          mark(
              copy.to(),
              // The loop above copied every element of the value, the marks' ends included.
              Objects.requireNonNull(copiedBefore.get(span.first()), "copied before"),
              Objects.requireNonNull(copied.get(span.last()), "copied"),
              mark.name(),
              mark.value(),
              mark.expand());
      aliases.add(mark.begin(), new Placement(begin, copy.to(), Key.elem(ElemId.of(begin))));
    }
  }

  /** Copies one visible element after {@code previous}; returns the new element. */
  private ElemId copyElement(
      Pending copy, ElemId previous, ElemId elem, OpId winner, Value value, List<Pending> stack) {
    OpId written = writeShallow(copy.to(), Key.elem(previous), true, value, List.of(), stack);
    ElemId created = ElemId.of(written);
    Placement placement = new Placement(written, copy.to(), Key.elem(created));
    OpId elemOp = elem.opId().orElseThrow();
    if (winner.equals(elemOp)) {
      aliases.add(elemOp, placement);
    } else {
      aliases.addElement(elemOp, placement);
      aliases.add(winner, placement);
    }
    return created;
  }

  /**
   * Marks the elements from the one after {@code beginAfter} through {@code last} with {@code name}
   * = {@code value}: a begin anchor right after {@code beginAfter} and an end anchor right after
   * {@code last}, each the newest child of its reference, so nothing falls between them and the
   * span.
   *
   * @return the begin anchor's op ID
   */
  OpId mark(
      ObjId text,
      ElemId beginAfter,
      ElemId last,
      String name,
      ScalarValue value,
      ExpandMark expand) {
    OpId begin = tx.applyOp(MarkOps.begin(text, beginAfter, name, value, expand));
    tx.applyOp(MarkOps.end(text, last, expand));
    return begin;
  }

  static ChangeOp op(
      ObjId obj, Key key, boolean insert, Action action, ScalarValue value, List<OpId> pred) {
    return new ChangeOp(obj, key, insert, action, value, pred, false, Optional.empty());
  }
}
