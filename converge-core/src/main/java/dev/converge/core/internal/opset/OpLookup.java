package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ElemId;
import dev.converge.core.ExpandMark;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the current op set by op and element IDs rather than by index: which ops are visible at a
 * key or on an element, what a given op (visible or not) holds, who removed it, and the order of
 * elements, tombstones and mark anchors. Undo needs these to write ops that name what they revert.
 *
 * <p>Not thread-safe; used under the document's lock, inside a local transaction.
 */
public final class OpLookup {
  private final OpSet opSet;
  private final OpSetReader reader;

  public OpLookup(OpSet opSet) {
    this.opSet = opSet;
    this.reader = new OpSetReader(opSet, null, TextUnit.UTF16);
  }

  /** A visible map entry: its key, the op that wins it, and the value shown. */
  public record Entry(String key, OpId winner, Value value) {}

  /** A visible sequence element: its ID, the op that wins it, and the value shown. */
  public record Element(ElemId elem, OpId winner, Value value) {}

  /**
   * A content element of a sequence, visible or deleted, with the value it shows (for a deleted
   * one, the value its insert op wrote).
   */
  public record SeqEntry(ElemId elem, OpId winner, Value value, boolean visible) {}

  /**
   * A mark as its anchors place it: the first and last content elements (visible or deleted)
   * between its begin and end anchors.
   */
  public record MarkSpan(ActiveMark mark, ElemId first, ElemId last) {}

  /** A mark in force on an element: its begin op, name, value and how its edges expand. */
  public record ActiveMark(OpId begin, String name, ScalarValue value, ExpandMark expand) {}

  /** A visible element of a text with the marks in force on it, by begin op ID ascending. */
  public record MarkedElement(ElemId elem, List<ActiveMark> marks) {}

  public boolean exists(ObjId obj) {
    return opSet.object(obj) != null;
  }

  /** The type of an existing object. */
  public ObjType type(ObjId obj) {
    return reader.type(obj);
  }

  /** Whether the object exists and its make op, and each one above it, wins its slot. */
  public boolean reachable(ObjId obj) {
    ObjState state = opSet.object(obj);
    if (state == null) {
      return false;
    }
    ObjState current = state;
    while (current.makeOp != null) {
      Op make = current.makeOp;
      // Only the root has no parent, and it has no make op either; the op that made an object is
      // at its key in a map, or is (or aims at) an element in a sequence.
      ObjState parent = Objects.requireNonNull(current.parent, "parent");
      Op winner =
          parent instanceof MapObj map
              ? reader.winner(
                  Objects.requireNonNull(
                      map.keys.get(Objects.requireNonNull(make.key(), "key")), "slot"))
              : OpSet.winner(make.insert() ? make : Objects.requireNonNull(make.elem(), "element"));
      if (winner != make) {
        return false;
      }
      current = parent;
    }
    return !current.orphan();
  }

  /** The visible ops at a map key or on a sequence element, ascending; empty if none is there. */
  public List<OpId> visibleOps(ObjId obj, Key key) {
    List<OpId> visible = new ArrayList<>(1);
    for (Op op : slot(obj, key)) {
      if (op.isVisible()) {
        visible.add(reader.opId(op));
      }
    }
    return visible;
  }

  /** Whether the element exists (visible or not) in the sequence. */
  public boolean elementExists(ObjId seq, ElemId elem) {
    return element(seq, elem) != null;
  }

  /** Whether some op on the element is visible. */
  public boolean elementVisible(ObjId seq, ElemId elem) {
    Op element = element(seq, elem);
    return element != null && OpSet.winner(element) != null;
  }

  /**
   * What the op {@code id} at {@code key} of {@code obj} holds, visible or not: its scalar (a
   * counter with its increments), or the object it made; empty if no such op is there.
   */
  public Optional<Value> valueOf(ObjId obj, Key key, OpId id) {
    Op op = find(obj, key, id);
    return op == null || !op.isValueOp() ? Optional.empty() : Optional.of(reader.value(op));
  }

  /** Whether an actor other than {@code self} overwrote or deleted the op {@code id}. */
  public boolean removedByOther(ObjId obj, Key key, OpId id, ActorId self) {
    Op op = find(obj, key, id);
    if (op == null) {
      return false;
    }
    for (int i = 0; i < op.succCount(); i++) {
      if (!opSet.actors().get(Op.actorOf(op.succAt(i))).equals(self)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether anything in the object, at any depth, shows an op of an actor other than {@code self}:
   * a visible value, a mark anchor, or an increment of a visible counter.
   */
  public boolean containsOthers(ObjId obj, ActorId self) {
    int selfIndex = opSet.actors().indexOf(self);
    ArrayList<ObjState> stack = new ArrayList<>();
    stack.add(opSet.object(obj));
    while (!stack.isEmpty()) {
      ObjState state = stack.remove(stack.size() - 1);
      List<Op> ops = new ArrayList<>();
      if (state instanceof MapObj map) {
        map.keys.values().forEach(ops::addAll);
      } else {
        SeqObj seq = (SeqObj) state;
        for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
          ops.add(element);
          if (element.others() != null) {
            ops.addAll(element.others());
          }
        }
      }
      for (Op op : ops) {
        boolean shown = op.isVisible() || op.action() == Action.MARK;
        if (shown && op.actor != selfIndex) {
          return true;
        }
        if (op.isVisible() && op.incs() != null) {
          for (Op inc : op.incs()) {
            if (inc.actor != selfIndex) {
              return true;
            }
          }
        }
        if (op.isVisible() && op.action().makesObject()) {
          stack.add(opSet.object(ObjId.of(reader.opId(op))));
        }
      }
    }
    return false;
  }

  /** The element right before {@code elem} in document order, any kind; HEAD if it is first. */
  public ElemId before(ObjId seq, ElemId elem) {
    SeqObj obj = seq(seq);
    Op element = element(seq, elem);
    if (element == null) {
      throw new IllegalStateException("no element " + elem + " in " + seq);
    }
    int position = obj.tree.positionOf(element);
    return position == 0 ? ElemId.HEAD : ElemId.of(reader.opId(obj.tree.elementAt(position - 1)));
  }

  /** The keys of a map that show a value, in key order, each with its winner. */
  public List<Entry> entries(ObjId map) {
    List<Entry> entries = new ArrayList<>();
    MapObj state = (MapObj) Objects.requireNonNull(opSet.object(map), "map");
    for (String key : reader.keys(map)) {
      // The keys that show a value have a slot and a winner.
      Op winner =
          Objects.requireNonNull(
              reader.winner(Objects.requireNonNull(state.keys.get(key), "slot")), "winner");
      entries.add(new Entry(key, reader.opId(winner), reader.value(winner)));
    }
    return entries;
  }

  /** The visible elements of a list or text, in order, each with its winner. */
  public List<Element> elements(ObjId seq) {
    SeqObj obj = seq(seq);
    List<Element> elements = new ArrayList<>();
    for (Op element = obj.tree.first(); element != null; element = obj.tree.next(element)) {
      Op winner = OpSet.winner(element);
      if (winner != null) {
        elements.add(
            new Element(
                ElemId.of(reader.opId(element)), reader.opId(winner), reader.value(winner)));
      }
    }
    return elements;
  }

  /** Every content element of a list or text (not mark anchors), visible or deleted, in order. */
  public List<SeqEntry> allElements(ObjId seq) {
    SeqObj obj = seq(seq);
    List<SeqEntry> entries = new ArrayList<>();
    for (Op element = obj.tree.first(); element != null; element = obj.tree.next(element)) {
      if (element.action() == Action.MARK) {
        continue;
      }
      Op winner = OpSet.winner(element);
      Op shown = winner == null ? element : winner;
      entries.add(
          new SeqEntry(
              ElemId.of(reader.opId(element)),
              reader.opId(shown),
              reader.value(shown),
              winner != null));
    }
    return entries;
  }

  /**
   * Every mark of a text that covers at least one content element, visible or deleted, by begin op
   * ID ascending.
   */
  public List<MarkSpan> markSpans(ObjId text) {
    SeqObj obj = seq(text);
    Map<OpId, Op> open = new TreeMap<>();
    Map<OpId, ElemId[]> covered = new TreeMap<>();
    List<MarkSpan> spans = new ArrayList<>();
    for (Op element = obj.tree.first(); element != null; element = obj.tree.next(element)) {
      if (element.isMarkBegin()) {
        open.put(reader.opId(element), element);
      } else if (element.isMarkEnd()) {
        OpId begin = new OpId(element.counter() - 1, opSet.actors().get(element.actor));
        Op beginOp = open.remove(begin);
        ElemId[] range = covered.remove(begin);
        if (beginOp != null && range != null) {
          ActiveMark mark =
              new ActiveMark(begin, markName(beginOp), beginOp.value, expand(obj, beginOp));
          spans.add(new MarkSpan(mark, range[0], range[1]));
        }
      } else if (element.action() != Action.MARK) {
        ElemId id = ElemId.of(reader.opId(element));
        for (OpId begin : open.keySet()) {
          covered.computeIfAbsent(begin, key -> new ElemId[] {id, id})[1] = id;
        }
      }
    }
    spans.sort((a, b) -> a.mark().begin().compareTo(b.mark().begin()));
    return spans;
  }

  /**
   * The elements of a text, in order, each with every mark in force on it: only the visible ones,
   * or with {@code deletedToo} the deleted ones as well (a mark covers those too, and so covers an
   * element later inserted next to one).
   */
  public List<MarkedElement> markedElements(ObjId text, boolean deletedToo) {
    SeqObj obj = seq(text);
    TreeMap<OpId, Op> active = new TreeMap<>();
    List<MarkedElement> result = new ArrayList<>();
    for (Op element = obj.tree.first(); element != null; element = obj.tree.next(element)) {
      if (element.isMarkBegin()) {
        active.put(reader.opId(element), element);
      } else if (element.isMarkEnd()) {
        active.remove(new OpId(element.counter() - 1, opSet.actors().get(element.actor)));
      } else if (deletedToo || OpSet.winner(element) != null) {
        List<ActiveMark> marks = new ArrayList<>(active.size());
        for (Map.Entry<OpId, Op> begin : active.entrySet()) {
          Op op = begin.getValue();
          marks.add(new ActiveMark(begin.getKey(), markName(op), op.value, expand(obj, op)));
        }
        result.add(new MarkedElement(ElemId.of(reader.opId(element)), marks));
      }
    }
    return result;
  }

  /** The name of a mark begin, which always has one. */
  private static String markName(Op begin) {
    return Objects.requireNonNull(begin.markName(), "mark name");
  }

  private ExpandMark expand(SeqObj seq, Op begin) {
    Op end = seq.elements.get(begin.counter() + 1, begin.actor);
    boolean after = end != null && end.isMarkEnd() && end.expand();
    if (begin.expand()) {
      return after ? ExpandMark.BOTH : ExpandMark.BEFORE;
    }
    return after ? ExpandMark.AFTER : ExpandMark.NONE;
  }

  private SeqObj seq(ObjId obj) {
    if (!(opSet.object(obj) instanceof SeqObj seq)) {
      throw new IllegalStateException(obj + " is not a list or text");
    }
    return seq;
  }

  private @Nullable Op element(ObjId seq, ElemId elem) {
    if (elem.isHead()) {
      return null;
    }
    OpId id = elem.opId().orElseThrow();
    int actor = opSet.actors().indexOf(id.actor());
    return actor < 0 ? null : seq(seq).elements.get(id.counter(), actor);
  }

  /** The ops at a map key, or the ops on an element (its insert op first); empty if absent. */
  private List<Op> slot(ObjId obj, Key key) {
    ObjState state = opSet.object(obj);
    if (state instanceof MapObj map && key instanceof Key.Prop prop) {
      List<Op> slot = map.keys.get(prop.name());
      return slot == null ? List.of() : slot;
    }
    if (state instanceof SeqObj && key instanceof Key.Elem elem) {
      Op element = element(obj, elem.elemId());
      if (element == null) {
        return List.of();
      }
      List<Op> others = element.others();
      List<Op> ops = new ArrayList<>(1 + (others == null ? 0 : others.size()));
      ops.add(element);
      if (others != null) {
        ops.addAll(others);
      }
      return ops;
    }
    return List.of();
  }

  private @Nullable Op find(ObjId obj, Key key, OpId id) {
    int actor = opSet.actors().indexOf(id.actor());
    for (Op op : slot(obj, key)) {
      if (op.counter() == id.counter() && op.actor == actor) {
        return op;
      }
    }
    return null;
  }
}
