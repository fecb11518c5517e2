package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.Patch;
import dev.converge.core.PathElement;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The patches that turn a document as it was at one clock ({@code before}) into the document as it
 * was at another ({@code after}); the two need not be ordered, so a diff may go back in time or
 * across concurrent branches.
 *
 * <p>Method: both versions are projections of the one op set, so each object is walked once with
 * both clocks. A map key yields a patch when its winning op differs between the clocks. The
 * elements of a list or text are in one total order in the op set, and the elements visible at each
 * clock are subsequences of it, so a single pass over the elements gives the deletes, inserts and
 * overwrites in order, with indexes that count the elements already turned into the {@code after}
 * version (which is how a listener applies patches: in order). An object that is the same op at
 * both clocks is compared in turn; an object that appears (a new winner) is written out in full, as
 * from empty. Marks are compared per character of the {@code after} text.
 *
 * <p>Objects are visited with an explicit stack, never by recursion: nesting depth comes from
 * peers. Cost: one pass over every op of every object reachable at {@code after}.
 */
public final class OpSetDiff {
  private final OpSetReader before;
  private final OpSetReader after;
  private final List<Patch> patches = new ArrayList<>();
  private final TextUnit unit;

  /** An object to compare: its state, its path at {@code after}, and whether it is new there. */
  private record Frame(ObjState obj, List<PathElement> path, boolean fromEmpty) {}

  private OpSetDiff(OpSet opSet, Clock before, Clock after, TextUnit unit) {
    this.before = new OpSetReader(opSet, Objects.requireNonNull(before, "before"), unit);
    this.after = new OpSetReader(opSet, Objects.requireNonNull(after, "after"), unit);
    this.unit = unit;
  }

  /**
   * The patches from the document at {@code before} to the document at {@code after}, text
   * positions and lengths in {@code unit}.
   */
  public static List<Patch> diff(OpSet opSet, Clock before, Clock after, TextUnit unit) {
    OpSetDiff diff = new OpSetDiff(opSet, before, after, unit);
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(opSet.root(), List.of(), false));
    while (!stack.isEmpty()) {
      Frame frame = stack.pop();
      List<Frame> children = new ArrayList<>();
      if (frame.obj() instanceof MapObj map) {
        diff.map(map, frame, children);
      } else {
        diff.sequence((SeqObj) frame.obj(), frame, children);
      }
      // Pushed in reverse so that children are compared in document order.
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(children.get(i));
      }
    }
    return List.copyOf(diff.patches);
  }

  private void map(MapObj map, Frame frame, List<Frame> children) {
    List<String> keys = new ArrayList<>(map.keys.keySet());
    keys.sort(OpSetReader::compareUtf8);
    for (String key : keys) {
      // The keys were just listed from the map.
      List<Op> slot = Objects.requireNonNull(map.keys.get(key));
      Op was = frame.fromEmpty() ? null : before.winner(slot);
      Op now = after.winner(slot);
      PathElement at = new PathElement.Key(key);
      if (now == null) {
        if (was != null) {
          patches.add(new Patch.DeleteKey(map.id, frame.path(), key));
        }
        continue;
      }
      boolean conflict = visibleCount(slot, after) > 1;
      if (was == now) {
        sameOp(map, frame, at, now, children);
        if (!now.action().makesObject() && conflict != (visibleCount(slot, before) > 1)) {
          patches.add(new Patch.Put(map.id, frame.path(), at, after.value(now), conflict));
        }
      } else {
        patches.add(new Patch.Put(map.id, frame.path(), at, after.value(now), conflict));
        newObject(now, frame, at, children);
      }
    }
  }

  private static int visibleCount(List<Op> slot, OpSetReader reader) {
    int count = 0;
    for (Op op : slot) {
      if (reader.visible(op)) {
        count++;
      }
    }
    return count;
  }

  /** How many ops at a sequence element are visible: the element and the ops aimed at it. */
  private static int visibleCount(Op element, OpSetReader reader) {
    int count = reader.visible(element) ? 1 : 0;
    List<Op> others = element.others();
    if (others != null) {
      for (Op op : others) {
        if (reader.visible(op)) {
          count++;
        }
      }
    }
    return count;
  }

  /** One op wins at both clocks: compare the object it made, or the counter it holds. */
  private void sameOp(ObjState parent, Frame frame, PathElement at, Op op, List<Frame> children) {
    if (op.action().makesObject()) {
      children.add(new Frame(child(op), append(frame.path(), at), false));
    } else if (op.value instanceof ScalarValue.Counter) {
      long by = counterTotal(after.value(op)) - counterTotal(before.value(op));
      if (by != 0) {
        patches.add(new Patch.Increment(parent.id, frame.path(), at, by));
      }
    }
  }

  private static long counterTotal(Value value) {
    return ((ScalarValue.Counter) ((Value.Scalar) value).value()).value();
  }

  /** A new winner that made an object: the object is written out from empty after its put. */
  private void newObject(Op op, Frame frame, PathElement at, List<Frame> children) {
    if (op.action().makesObject()) {
      children.add(new Frame(child(op), append(frame.path(), at), true));
    }
  }

  private ObjState child(Op op) {
    ObjState state = after.object(ObjId.of(after.opId(op)));
    return Objects.requireNonNull(state, "object made by a visible op");
  }

  private static List<PathElement> append(List<PathElement> path, PathElement at) {
    List<PathElement> longer = new ArrayList<>(path.size() + 1);
    longer.addAll(path);
    longer.add(at);
    return List.copyOf(longer);
  }

  private void sequence(SeqObj seq, Frame frame, List<Frame> children) {
    SequenceRun run = new SequenceRun(seq, frame.path(), seq.type == ObjType.TEXT);
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      if (element.action() == Action.MARK) {
        continue;
      }
      Op was = frame.fromEmpty() ? null : before.winner(element);
      Op now = after.winner(element);
      if (now == null) {
        if (was != null) {
          run.delete(width(seq, was));
        }
      } else if (was == null) {
        PathElement at = new PathElement.Index(run.index);
        run.insert(after.value(now), width(seq, now));
        newObject(now, frame, at, children);
      } else {
        run.flush();
        PathElement at = new PathElement.Index(run.index);
        if (was == now) {
          sameOp(seq, frame, at, now, children);
        } else {
          boolean conflict = visibleCount(element, after) > 1;
          patches.add(new Patch.Put(seq.id, frame.path(), at, after.value(now), conflict));
          newObject(now, frame, at, children);
        }
        run.index += width(seq, now);
      }
    }
    run.flush();
    if (seq.type == ObjType.TEXT && seq.markCount > 0) {
      marks(seq, frame);
    }
  }

  /** How many positions, in the diff's text unit, the element showing {@code winner} takes. */
  private int width(SeqObj seq, Op winner) {
    return TextWidths.widthOf(winner, seq.type == ObjType.TEXT, unit);
  }

  /**
   * Consecutive deletes, or consecutive inserts, at one place of a sequence, gathered into one
   * patch each as Automerge's patches gather them.
   */
  private final class SequenceRun {
    private final SeqObj seq;
    private final List<PathElement> path;
    private final boolean text;
    private int index;
    private int deleteStart = -1;
    private int deleteLength;
    private int insertStart = -1;
    private final StringBuilder inserted = new StringBuilder();
    private final List<Value> insertedValues = new ArrayList<>();

    SequenceRun(SeqObj seq, List<PathElement> path, boolean text) {
      this.seq = seq;
      this.path = path;
      this.text = text;
    }

    void delete(int width) {
      flushInsert();
      if (deleteStart < 0) {
        deleteStart = index;
      }
      deleteLength += width;
    }

    void insert(Value value, int width) {
      flushDelete();
      if (insertStart < 0) {
        insertStart = index;
      }
      if (text) {
        inserted.append(
            value instanceof Value.Scalar scalar && scalar.value() instanceof ScalarValue.Str str
                ? str.value()
                : "\uFFFC");
      } else {
        insertedValues.add(value);
      }
      index += width;
    }

    void flush() {
      flushDelete();
      flushInsert();
    }

    private void flushDelete() {
      if (deleteStart >= 0) {
        patches.add(new Patch.Delete(seq.id, path, deleteStart, deleteLength));
        deleteStart = -1;
        deleteLength = 0;
      }
    }

    private void flushInsert() {
      if (insertStart < 0) {
        return;
      }
      if (text) {
        patches.add(new Patch.SpliceText(seq.id, path, insertStart, inserted.toString()));
        inserted.setLength(0);
      } else {
        patches.add(new Patch.Insert(seq.id, path, insertStart, insertedValues));
        insertedValues.clear();
      }
      insertStart = -1;
    }
  }

  /**
   * The marks that differ on the {@code after} text: for each character visible there, the value of
   * each mark name at both clocks (a character new at {@code after} had none before); a run of
   * characters where a name's value changed gives one span, null where the mark was removed.
   */
  private void marks(SeqObj seq, Frame frame) {
    MarkState was = new MarkState(before);
    MarkState now = new MarkState(after);
    TreeMap<String, List<Mark>> spans = new TreeMap<>(OpSetReader::compareUtf8);
    int index = 0;
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      if (element.action() == Action.MARK) {
        was.step(element);
        now.step(element);
        continue;
      }
      Op winner = after.winner(element);
      if (winner == null) {
        continue;
      }
      int width = width(seq, winner);
      boolean existed = !frame.fromEmpty() && before.winner(element) != null;
      Map<String, ScalarValue> old = existed ? was.current() : Map.of();
      Map<String, ScalarValue> current = now.current();
      TreeMap<String, ScalarValue> names = new TreeMap<>(old);
      names.putAll(current);
      for (String name : names.keySet()) {
        ScalarValue oldValue = old.getOrDefault(name, ScalarValue.NULL);
        ScalarValue newValue = current.getOrDefault(name, ScalarValue.NULL);
        if (!oldValue.equals(newValue)) {
          addSpan(spans, name, newValue, index, index + width);
        }
      }
      index += width;
    }
    List<Mark> changed = new ArrayList<>();
    spans.values().forEach(changed::addAll);
    if (!changed.isEmpty()) {
      patches.add(new Patch.MarkSpans(seq.id, frame.path(), changed));
    }
  }

  private static void addSpan(
      Map<String, List<Mark>> spans, String name, ScalarValue value, int start, int end) {
    List<Mark> list = spans.computeIfAbsent(name, unused -> new ArrayList<>());
    Mark last = list.isEmpty() ? null : list.get(list.size() - 1);
    if (last != null && last.end() == start && last.value().equals(value)) {
      list.set(list.size() - 1, new Mark(name, value, last.start(), end));
    } else {
      list.add(new Mark(name, value, start, end));
    }
  }

  /** The mark anchors seen so far along a text, at one clock: as {@link OpSetReader#marks}. */
  private static final class MarkState {
    private final OpSetReader reader;
    private final TreeMap<OpId, Op> active = new TreeMap<>();

    MarkState(OpSetReader reader) {
      this.reader = reader;
    }

    void step(Op anchor) {
      if (!reader.covers(anchor)) {
        return;
      }
      if (anchor.isMarkBegin()) {
        active.put(reader.opId(anchor), anchor);
      } else {
        OpId end = reader.opId(anchor);
        active.remove(new OpId(end.counter() - 1, end.actor()));
      }
    }

    /** For each name, the value of its greatest active begin (null values included). */
    Map<String, ScalarValue> current() {
      Map<String, ScalarValue> values = new TreeMap<>();
      for (Op begin : active.values()) {
        values.put(begin.markName(), begin.value);
      }
      values.values().removeIf(ScalarValue.Null.class::isInstance);
      return values;
    }
  }
}
