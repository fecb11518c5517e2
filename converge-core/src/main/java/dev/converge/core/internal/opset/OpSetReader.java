package dev.converge.core.internal.opset;

import dev.converge.core.ActorId;
import dev.converge.core.CharacterSplitException;
import dev.converge.core.Conflict;
import dev.converge.core.ConvergeException;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.PathElement;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads values out of an {@link OpSet}, either as it is now ({@code clock == null}, using the
 * cached widths of the sequence trees) or as it was at a past {@link Clock} (time travel: an op
 * counts only if the clock covers it, and is hidden only by successors the clock covers). Text
 * positions count in the reader's {@link TextUnit}; a position inside a character is refused with
 * {@link CharacterSplitException}.
 */
public final class OpSetReader {
  private final OpSet opSet;
  private final @Nullable Clock clock;
  private final TextUnit unit;

  public OpSetReader(OpSet opSet, @Nullable Clock clock, TextUnit unit) {
    this.opSet = opSet;
    this.clock = clock;
    this.unit = unit;
  }

  /** The unit text positions count in. */
  public TextUnit unit() {
    return unit;
  }

  /** The type of {@code obj}, or throws if the object does not exist (at this clock). */
  public ObjType type(ObjId obj) {
    return object(obj).type;
  }

  public boolean exists(ObjId obj) {
    ObjState state = opSet.object(obj);
    return state != null && (clock == null || state.makeOp == null || clock.covers(state.makeOp));
  }

  ObjState object(ObjId obj) {
    ObjState state = opSet.object(obj);
    if (state == null || (clock != null && state.makeOp != null && !clock.covers(state.makeOp))) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "no object " + obj + " in this document");
    }
    return state;
  }

  private MapObj map(ObjId obj) {
    ObjState state = object(obj);
    if (!(state instanceof MapObj map)) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, obj + " is a " + state.type + ", not a map");
    }
    return map;
  }

  private SeqObj seq(ObjId obj) {
    ObjState state = object(obj);
    if (!(state instanceof SeqObj seq)) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          obj + " is a " + state.type + ", not a list or text");
    }
    return seq;
  }

  /** Whether this reader's clock has seen {@code op} (the present has seen every op). */
  boolean covers(Op op) {
    return clock == null || clock.covers(op);
  }

  boolean visible(Op op) {
    if (clock == null) {
      return op.isVisible();
    }
    if (!op.isValueOp() || !clock.covers(op)) {
      return false;
    }
    for (int i = 0; i < op.succCount(); i++) {
      if (clock.coversPacked(op.succAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Every visible value at a map key, in op ID order; the last one wins. */
  public List<Conflict> conflicts(ObjId obj, String key) {
    MapObj map = map(obj);
    ArrayList<Op> slot = map.keys.get(key);
    if (slot == null) {
      return List.of();
    }
    List<Conflict> result = new ArrayList<>(1);
    int start = currentStart(map, key, slot);
    int firstVisible = -1;
    for (int i = start; i < slot.size(); i++) {
      Op op = slot.get(i);
      if (visible(op)) {
        result.add(new Conflict(opId(op), value(op)));
        if (firstVisible < 0) {
          firstVisible = i;
        }
      }
    }
    // A document that only receives changes (a replica, the store's views) has no local
    // transaction to move its hints, so its readers move them, where that is safe.
    int invisible = firstVisible < 0 ? slot.size() : firstVisible;
    if (clock == null
        && invisible - start >= LocalTransaction.HINT_STEP
        && !LocalTransaction.openOnThisThread()) {
      map.setCommittedHint(key, slot, invisible);
    }
    return result;
  }

  /**
   * Where a scan for the visible ops of a key may start: the key's hint for the current state (ops
   * before it are overwritten), 0 for a past state, which may still see them.
   */
  private int currentStart(MapObj map, String key, List<Op> slot) {
    return clock == null ? map.invisibleBefore(key, slot) : 0;
  }

  /**
   * Every visible value at a sequence index, in op ID order; the last one wins.
   *
   * @throws CharacterSplitException if the index falls inside a character of a text
   */
  public List<Conflict> conflicts(ObjId obj, int index) {
    SeqObj seq = seq(obj);
    Op element = elementAt(seq, index);
    if (element == null) {
      return List.of();
    }
    List<Conflict> result = new ArrayList<>(1);
    if (visible(element)) {
      result.add(new Conflict(opId(element), value(element)));
    }
    if (element.others() != null) {
      for (Op op : element.others()) {
        if (visible(op)) {
          result.add(new Conflict(opId(op), value(op)));
        }
      }
    }
    return result;
  }

  /** The keys of a map that hold a value, in Automerge's order (by UTF-8 bytes). */
  public List<String> keys(ObjId obj) {
    MapObj map = map(obj);
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, ArrayList<Op>> entry : map.keys.entrySet()) {
      ArrayList<Op> slot = entry.getValue();
      if (winner(slot, currentStart(map, entry.getKey(), slot)) != null) {
        keys.add(entry.getKey());
      }
    }
    keys.sort(OpSetReader::compareUtf8);
    return keys;
  }

  /** Orders strings as their UTF-8 bytes would be ordered, which is code point order. */
  public static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Keys for a map, elements for a list, the reader's units for text. */
  public int length(ObjId obj) {
    ObjState state = object(obj);
    if (state instanceof MapObj) {
      return keys(obj).size();
    }
    SeqObj seq = (SeqObj) state;
    if (clock == null) {
      return (int) seq.tree.width(unit);
    }
    long width = 0;
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      width += width(seq, element);
    }
    return (int) width;
  }

  /** The visible characters of a text (or the string elements of a list), concatenated. */
  public String text(ObjId obj) {
    SeqObj seq = seq(obj);
    StringBuilder text = new StringBuilder((int) Math.min(seq.tree.width(TextUnit.UTF16), 1 << 20));
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      appendShown(seq, element, text);
    }
    return text.toString();
  }

  private void appendShown(SeqObj seq, Op element, StringBuilder text) {
    Op winner = winner(element);
    String string = winner == null ? null : winner.shownString();
    if (string != null) {
      text.append(string);
    } else if (winner != null && seq.type == ObjType.TEXT) {
      text.append('\uFFFC');
    }
  }

  /**
   * The visible characters of a text from {@code start} (inclusive) to {@code end} (exclusive), in
   * the reader's unit: O(log n) to find the start, then the characters read.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the range is outside the text
   * @throws CharacterSplitException if {@code start} or {@code end} falls inside a character
   */
  public String text(ObjId obj, int start, int end) {
    SeqObj seq = seq(obj);
    long length = length(obj);
    if (start < 0 || end < start || end > length) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "range "
              + start
              + ".."
              + end
              + " is outside 0.."
              + length
              + " of "
              + obj
              + " ("
              + unit.description()
              + ")");
    }
    requireBoundary(seq, end);
    StringBuilder text = new StringBuilder();
    @Nullable Op element = start == end ? null : elementAt(seq, start);
    for (long at = start; at < end; element = seq.tree.next(element)) {
      if (element == null) {
        throw new IllegalStateException("sequence " + seq.id + " ends before " + end);
      }
      int width = width(seq, element);
      if (width > 0) {
        appendShown(seq, element, text);
        at += width;
      }
    }
    return text.toString();
  }

  /**
   * Refuses {@code index} of a sequence if it falls inside a character; the start and the end of
   * the text are boundaries.
   *
   * @throws CharacterSplitException if it does
   */
  void requireBoundary(SeqObj seq, long index) {
    elementAt(seq, index);
  }

  /** The values of a list (or the characters of a text as strings), in order. */
  public List<Value> values(ObjId obj) {
    SeqObj seq = seq(obj);
    List<Value> values = new ArrayList<>();
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      Op winner = winner(element);
      if (winner != null) {
        values.add(value(winner));
      }
    }
    return values;
  }

  /** The marks in force over a text, by name then position, with null-valued unmarks left out. */
  public List<Mark> marks(ObjId obj) {
    return MarkSpans.of(this, seq(obj));
  }

  /**
   * The visible element that starts at {@code index} in the reader's unit, or null if the index is
   * negative or at or past the end.
   *
   * @throws CharacterSplitException if the index falls inside an element, past its first unit
   */
  @Nullable Op elementAt(SeqObj seq, long index) {
    if (index < 0) {
      return null;
    }
    @Nullable Op element;
    int offset;
    if (clock == null) {
      element = seq.tree.elementAtWidth(index, unit);
      offset = element == null ? 0 : seq.tree.offsetInElement();
    } else {
      element = null;
      offset = 0;
      long remaining = index;
      for (Op e = seq.tree.first(); e != null; e = seq.tree.next(e)) {
        int width = width(seq, e);
        if (remaining < width) {
          element = e;
          offset = (int) remaining;
          break;
        }
        remaining -= width;
      }
    }
    // A non-zero offset is an offset into an element found.
    if (offset != 0 && element != null) {
      throw TextPositions.split(seq.id, index, unit, winner(element), offset, width(seq, element));
    }
    return element;
  }

  /** The visible width in the reader's unit of the elements before {@code element}. */
  long indexOf(SeqObj seq, Op element) {
    if (clock == null) {
      return seq.tree.widthBefore(element, unit);
    }
    long width = 0;
    for (Op e = seq.tree.first(); e != element; e = seq.tree.next(e)) {
      if (e == null) {
        throw new IllegalStateException("element is not in sequence " + seq.id);
      }
      width += width(seq, e);
    }
    return width;
  }

  /** The visible width of {@code element} in the reader's unit. */
  int width(SeqObj seq, Op element) {
    if (clock == null) {
      return seq.tree.width(element, unit);
    }
    return TextWidths.widthOf(winner(element), seq.type == ObjType.TEXT, unit);
  }

  @Nullable Op winner(List<Op> slot) {
    return winner(slot, 0);
  }

  /** The last visible op of a slot, looking no further back than {@code start}. */
  private @Nullable Op winner(List<Op> slot, int start) {
    for (int i = slot.size() - 1; i >= start; i--) {
      if (visible(slot.get(i))) {
        return slot.get(i);
      }
    }
    return null;
  }

  @Nullable Op winner(Op element) {
    if (clock == null) {
      return OpSet.winner(element);
    }
    List<Op> others = element.others();
    if (others != null) {
      for (int i = others.size() - 1; i >= 0; i--) {
        if (visible(others.get(i))) {
          return others.get(i);
        }
      }
    }
    return visible(element) ? element : null;
  }

  OpId opId(Op op) {
    return new OpId(op.counter(), opSet.actors().get(op.actor));
  }

  Value value(Op op) {
    if (op.action().makesObject()) {
      return new Value.Obj(op.action().objType(), ObjId.of(opId(op)));
    }
    if (op.value instanceof ScalarValue.Counter counter) {
      long total = counter.value();
      List<Op> incs = op.incs();
      if (incs != null) {
        for (Op inc : incs) {
          if (clock == null || clock.covers(inc)) {
            total += Op.incrementOf(inc.value);
          }
        }
      }
      return Value.of(new ScalarValue.Counter(total));
    }
    return Value.of(op.value);
  }

  /** The value an op shows right now. */
  static Value valueOf(OpSet opSet, Op op) {
    return new OpSetReader(opSet, null, TextUnit.UTF16).value(op);
  }

  /**
   * The path from the root to {@code obj} right now, text indexes counted in {@code unit}, or null
   * when the object is not reachable (it, or an object above it, was deleted or lost a conflict).
   */
  static @Nullable List<PathElement> pathOf(OpSet opSet, ObjState obj, TextUnit unit) {
    ArrayList<PathElement> reversed = new ArrayList<>();
    ObjState current = obj;
    while (current.makeOp != null) {
      Op make = current.makeOp;
      // Only the root has no parent, and it has no make op either.
      ObjState parent = Objects.requireNonNull(current.parent, "parent");
      if (parent instanceof MapObj map) {
        // The op that made an object in a map is at its key there.
        String key = Objects.requireNonNull(make.key(), "key");
        List<Op> slot = Objects.requireNonNull(map.keys.get(key), "slot");
        if (new OpSetReader(opSet, null, unit).winner(slot) != make) {
          return null;
        }
        reversed.add(new PathElement.Key(key));
      } else {
        SeqObj seq = (SeqObj) parent;
        // An op that made an object in a sequence is an element, or aims at one.
        Op element = make.insert() ? make : Objects.requireNonNull(make.elem(), "element");
        if (OpSet.winner(element) != make) {
          return null;
        }
        reversed.add(new PathElement.Index((int) seq.tree.widthBefore(element, unit)));
      }
      current = parent;
    }
    if (current.orphan()) {
      return null;
    }
    Collections.reverse(reversed);
    return reversed;
  }

  /** The actor of a stored op, for callers outside this package. */
  ActorId actor(Op op) {
    return opSet.actors().get(op.actor);
  }

  /**
   * The ID of the element at {@code index} of a list or text.
   *
   * @throws CharacterSplitException if the index falls inside a character of a text
   */
  public dev.converge.core.ElemId elementIdAt(ObjId obj, int index) {
    Op element = elementAt(seq(obj), index);
    if (element == null) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "no element at " + index + " of " + obj);
    }
    return dev.converge.core.ElemId.of(opId(element));
  }

  /** The index of an element: where it is, or where it was if it has been deleted. */
  public int positionOf(ObjId obj, dev.converge.core.ElemId elem) {
    SeqObj seq = seq(obj);
    if (elem.isHead()) {
      return 0;
    }
    OpId id = elem.opId().orElseThrow();
    int actor = opSet.actors().indexOf(id.actor());
    Op element = seq.elements.get(id.counter(), actor);
    if (element == null) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "no element " + id + " in " + obj);
    }
    return (int) indexOf(seq, element);
  }
}
