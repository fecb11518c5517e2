package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeOp;
import dev.converge.core.ConvergeException;
import dev.converge.core.ElemId;
import dev.converge.core.ExpandMark;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The edits of one local change. Each edit becomes ops that are applied to the op set at once,
 * through the same path as remote ops, with the inverse recorded in an {@link UndoLog} so the
 * document can be restored if the caller's callback throws.
 *
 * <p>A new op's predecessors are the ops visible at its key or element; its counter is the next
 * after every op the document has seen, so it outranks everything it overwrites.
 */
public final class LocalTransaction implements Transaction, ReadsThrough {
  /**
   * Local transactions open (created, not yet closed) on each thread; see {@link
   * #openOnThisThread}.
   */
  private static final ThreadLocal<int[]> OPEN_ON_THREAD =
      ThreadLocal.withInitial(() -> new int[1]);

  /** Ops a map key's scan skips before it moves the key's hint (see {@link #visiblePreds}). */
  static final int HINT_STEP = 8;

  private final OpSet opSet;
  private final OpSetView view;
  private final OpSetReader reader;
  private final TextUnit unit;
  private final ActorId actor;
  private final int actorIndex;
  private final UndoLog undo;
  private final @Nullable PatchLog patches;
  private final List<ChangeOp> ops;
  private final long startOp;
  // Shared with this transaction's views in other units, which close with it.
  private final Lifecycle lifecycle;

  /** Whether the transaction has ended, for it and its views in other units. */
  private static final class Lifecycle {
    boolean closed;
  }

  /**
   * A transaction on {@code opSet} as {@code actor}, counting text in {@code unit}.
   *
   * @param undo receives the inverse of every edit
   * @param patches receives the visible effects of every edit; null when nobody listens
   */
  public LocalTransaction(
      OpSet opSet, ActorId actor, UndoLog undo, @Nullable PatchLog patches, TextUnit unit) {
    this.opSet = opSet;
    this.view = new OpSetView(opSet, null, unit);
    this.reader = view.reader();
    this.unit = unit;
    this.actor = actor;
    this.actorIndex = opSet.intern(actor);
    this.undo = undo;
    this.patches = patches;
    this.ops = new ArrayList<>();
    this.startOp = opSet.maxOp() + 1;
    this.lifecycle = new Lifecycle();
    OPEN_ON_THREAD.get()[0]++;
  }

  /** {@code base} counting text in {@code unit}: the same change, the same ops. */
  private LocalTransaction(LocalTransaction base, TextUnit unit) {
    this.opSet = base.opSet;
    this.view = new OpSetView(opSet, null, unit);
    this.reader = view.reader();
    this.unit = unit;
    this.actor = base.actor;
    this.actorIndex = base.actorIndex;
    this.undo = base.undo;
    this.patches = base.patches;
    this.ops = base.ops;
    this.startOp = base.startOp;
    this.lifecycle = base.lifecycle;
  }

  @Override
  public TextUnit textUnit() {
    return unit;
  }

  @Override
  public Transaction inUnit(TextUnit unit) {
    return unit == this.unit ? this : new LocalTransaction(this, unit);
  }

  /** The counter of the first op of this change. */
  public long startOp() {
    return startOp;
  }

  /** The ops made so far, in op ID order. */
  public List<ChangeOp> ops() {
    return ops;
  }

  /**
   * Applies {@code op}, whose key and predecessors the caller chose, as the next op of this change:
   * for undo, which names elements by ID rather than by index.
   *
   * @return the op's ID
   * @throws dev.converge.core.CorruptDataException if the op names an unknown object or element
   */
  public OpId applyOp(ChangeOp op) {
    return apply(op);
  }

  /** Ends the transaction and its views in other units; later calls on them fail. */
  public void close() {
    if (!lifecycle.closed) {
      lifecycle.closed = true;
      OPEN_ON_THREAD.get()[0]--;
    }
  }

  /**
   * Whether a local transaction is open on the calling thread: its edits may still be rolled back,
   * so a reader must not record anything (a key's hint) that counts on them. Documents run a
   * transaction's callback on the caller's thread under their lock, so a read of any document from
   * inside a callback happens on this thread.
   */
  static boolean openOnThisThread() {
    return OPEN_ON_THREAD.get()[0] > 0;
  }

  private OpId apply(ChangeOp op) {
    long counter = startOp + ops.size();
    applyKnown(op, null);
    return new OpId(counter, actor);
  }

  /**
   * Applies {@code op} of this change, whose key names {@code known} (null: let the op set look it
   * up), and returns the stored op (null for a delete).
   */
  private @Nullable Op applyKnown(ChangeOp op, @Nullable Op known) {
    if (op.value() instanceof ScalarValue.Str str) {
      TextValues.wellFormed(str.value(), "string value");
    }
    if (op.key() instanceof Key.Prop prop) {
      TextValues.wellFormed(prop.name(), "map key");
    }
    op.markName().ifPresent(name -> TextValues.wellFormed(name, "mark name"));
    if (lifecycle.closed) {
      throw new IllegalStateException("transaction already committed or rolled back");
    }
    long counter = startOp + ops.size();
    Op stored = opSet.apply(op, counter, actorIndex, undo, patches, known);
    ops.add(op);
    return stored;
  }

  private static ConvergeException invalid(String message) {
    return new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, message);
  }

  private MapObj map(ObjId obj) {
    ObjState state = reader.object(obj);
    if (!(state instanceof MapObj map)) {
      throw invalid(obj + " is a " + state.type + ", not a map");
    }
    return map;
  }

  private SeqObj seq(ObjId obj) {
    ObjState state = reader.object(obj);
    if (!(state instanceof SeqObj seq)) {
      throw invalid(obj + " is a " + state.type + ", not a list or text");
    }
    return seq;
  }

  private SeqObj textObj(ObjId obj) {
    SeqObj seq = seq(obj);
    if (seq.type != ObjType.TEXT) {
      throw invalid(obj + " is a " + seq.type + ", not text");
    }
    return seq;
  }

  /**
   * The visible ops at a map key. The scan starts at the first visible op ({@link
   * MapObj#skipInvisible}, which moves the key's hint there), so a put costs the visible ops plus a
   * few, not the key's history.
   */
  private List<OpId> visiblePreds(MapObj map, String key) {
    List<OpId> preds = new ArrayList<>(1);
    ArrayList<Op> slot = map.keys.get(key);
    if (slot == null) {
      return preds;
    }
    for (int i = map.skipInvisible(key, slot, undo); i < slot.size(); i++) {
      Op op = slot.get(i);
      if (op.isVisible()) {
        preds.add(reader.opId(op));
      }
    }
    return preds;
  }

  private List<OpId> visiblePreds(Op element) {
    List<OpId> preds = new ArrayList<>(1);
    if (element.isVisible()) {
      preds.add(reader.opId(element));
    }
    if (element.others() != null) {
      for (Op op : element.others()) {
        if (op.isVisible()) {
          preds.add(reader.opId(op));
        }
      }
    }
    return preds;
  }

  private static ChangeOp op(
      ObjId obj, Key key, boolean insert, Action action, ScalarValue value, List<OpId> pred) {
    return new ChangeOp(obj, key, insert, action, value, pred, false, Optional.empty());
  }

  @Override
  public void put(ObjId obj, String key, ScalarValue value) {
    MapObj map = map(obj);
    apply(op(obj, Key.prop(key), false, Action.SET, value, visiblePreds(map, key)));
  }

  @Override
  public ObjId putObject(ObjId obj, String key, ObjType type) {
    MapObj map = map(obj);
    List<OpId> preds = visiblePreds(map, key);
    return ObjId.of(
        apply(op(obj, Key.prop(key), false, type.makeAction(), ScalarValue.NULL, preds)));
  }

  /** The visible element at {@code index}; refuses an index past the end or inside a character. */
  private Op visibleElement(SeqObj seq, int index) {
    Op element = reader.elementAt(seq, index);
    if (element == null) {
      throw invalid(
          "index "
              + index
              + " is past the end of "
              + seq.id
              + " (length "
              + seq.tree.width(unit)
              + ")");
    }
    return element;
  }

  private ElemId elemId(@Nullable Op element) {
    return element == null ? ElemId.HEAD : ElemId.of(reader.opId(element));
  }

  @Override
  public void put(ObjId obj, int index, ScalarValue value) {
    SeqObj seq = seq(obj);
    Op element = visibleElement(seq, index);
    apply(op(obj, Key.elem(elemId(element)), false, Action.SET, value, visiblePreds(element)));
  }

  @Override
  public ObjId putObject(ObjId obj, int index, ObjType type) {
    SeqObj seq = seq(obj);
    Op element = visibleElement(seq, index);
    return ObjId.of(
        apply(
            op(
                obj,
                Key.elem(elemId(element)),
                false,
                type.makeAction(),
                ScalarValue.NULL,
                visiblePreds(element))));
  }

  @Override
  public void insert(ObjId obj, int index, ScalarValue value) {
    SeqObj seq = seq(obj);
    Op reference = insertionReference(seq, index);
    apply(op(obj, Key.elem(elemId(reference)), true, Action.SET, value, List.of()));
  }

  @Override
  public ObjId insertObject(ObjId obj, int index, ObjType type) {
    SeqObj seq = seq(obj);
    Op reference = insertionReference(seq, index);
    return ObjId.of(
        apply(
            op(
                obj,
                Key.elem(elemId(reference)),
                true,
                type.makeAction(),
                ScalarValue.NULL,
                List.of())));
  }

  private @Nullable Op insertionReference(SeqObj seq, int index) {
    return InsertionPoints.reference(seq, unit, index);
  }

  @Override
  public void delete(ObjId obj, String key) {
    MapObj map = map(obj);
    List<OpId> preds = visiblePreds(map, key);
    if (!preds.isEmpty()) {
      apply(op(obj, Key.prop(key), false, Action.DELETE, ScalarValue.NULL, preds));
    }
  }

  @Override
  public void delete(ObjId obj, int index) {
    SeqObj seq = seq(obj);
    Op element = visibleElement(seq, index);
    apply(
        op(
            obj,
            Key.elem(elemId(element)),
            false,
            Action.DELETE,
            ScalarValue.NULL,
            visiblePreds(element)));
  }

  @Override
  public void splice(ObjId obj, int index, int deleteCount, String insert) {
    SeqObj seq = textObj(obj);
    TextValues.wellFormed(insert, "inserted text");
    deleteRange(seq, obj, index, deleteCount);
    Op reference = insertionReference(seq, index);
    ElemId after = elemId(reference);
    for (int i = 0; i < insert.length(); ) {
      ScalarValue.Str value = TextValues.characterAt(insert, i);
      // Each character goes after the one before, which this loop already holds.
      reference =
          applyKnown(op(obj, Key.elem(after), true, Action.SET, value, List.of()), reference);
      // An inserted character is stored.
      after = ElemId.of(new OpId(Objects.requireNonNull(reference).counter(), actor));
      i += value.value().length();
    }
  }

  @Override
  public void splice(ObjId obj, int index, int deleteCount, List<ScalarValue> values) {
    SeqObj seq = seq(obj);
    deleteRange(seq, obj, index, deleteCount);
    Op reference = insertionReference(seq, index);
    ElemId after = elemId(reference);
    for (ScalarValue value : values) {
      after = ElemId.of(apply(op(obj, Key.elem(after), true, Action.SET, value, List.of())));
    }
  }

  /**
   * Deletes {@code deleteCount} units at {@code index}; both ends are checked before anything is
   * deleted, so a range that would split a character changes nothing.
   */
  private void deleteRange(SeqObj seq, ObjId obj, int index, int deleteCount) {
    if (deleteCount < 0 || index < 0 || (long) index + deleteCount > seq.tree.width(unit)) {
      throw invalid(
          "cannot delete "
              + deleteCount
              + " at "
              + index
              + " of "
              + obj
              + " (length "
              + seq.tree.width(unit)
              + ")");
    }
    if (deleteCount == 0) {
      return;
    }
    Op first = visibleElement(seq, index);
    int firstWidth = seq.tree.width(first, unit);
    if (deleteCount < firstWidth) {
      throw TextPositions.split(
          seq.id, (long) index + deleteCount, unit, OpSet.winner(first), deleteCount, firstWidth);
    } else if (deleteCount > firstWidth) {
      reader.requireBoundary(seq, (long) index + deleteCount);
    }
    int remaining = deleteCount;
    Op element = first;
    while (true) {
      int width = seq.tree.width(element, unit);
      applyKnown(
          op(
              obj,
              Key.elem(elemId(element)),
              false,
              Action.DELETE,
              ScalarValue.NULL,
              visiblePreds(element)),
          element);
      remaining -= width;
      if (remaining == 0) {
        return;
      }
      // Deleting shifts the rest of the checked range to the same index.
      element = Objects.requireNonNull(seq.tree.elementAtWidth(index, unit), "element");
    }
  }

  @Override
  public void increment(ObjId obj, String key, long by) {
    MapObj map = map(obj);
    Op counter = reader.winner(map.keys.getOrDefault(key, new ArrayList<>()));
    if (counter == null || !(counter.value instanceof ScalarValue.Counter)) {
      throw invalid("no counter at " + obj + " key " + key);
    }
    apply(
        op(
            obj,
            Key.prop(key),
            false,
            Action.INCREMENT,
            ScalarValue.integer(by),
            List.of(reader.opId(counter))));
  }

  @Override
  public void increment(ObjId obj, int index, long by) {
    SeqObj seq = seq(obj);
    Op element = visibleElement(seq, index);
    Op counter = OpSet.winner(element);
    if (counter == null || !(counter.value instanceof ScalarValue.Counter)) {
      throw invalid("no counter at " + obj + " index " + index);
    }
    apply(
        op(
            obj,
            Key.elem(elemId(element)),
            false,
            Action.INCREMENT,
            ScalarValue.integer(by),
            List.of(reader.opId(counter))));
  }

  @Override
  public void mark(
      ObjId obj, int start, int end, ExpandMark expand, String name, ScalarValue value) {
    SeqObj seq = textObj(obj);
    long length = seq.tree.width(unit);
    if (start < 0 || end < start || end > length) {
      throw invalid("mark range " + start + ".." + end + " is outside 0.." + length + " of " + obj);
    }
    reader.requireBoundary(seq, start);
    reader.requireBoundary(seq, end);
    if (start == end && expand == ExpandMark.NONE) {
      return;
    }
    Op beginAfter = insertionReference(seq, start);
    OpId begin = apply(MarkOps.begin(obj, elemId(beginAfter), name, value, expand));
    Op endAfter = insertionReference(seq, end);
    if (start == end) {
      endAfter = seq.elements.get(begin.counter(), actorIndex);
    }
    apply(MarkOps.end(obj, elemId(endAfter), expand));
  }

  /** Reads see the edits made so far. */
  @Override
  public ReadableDocument reads() {
    return view;
  }
}
