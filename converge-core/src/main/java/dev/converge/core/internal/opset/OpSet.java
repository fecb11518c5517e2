package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The current state of a document as the set of all ops ever applied, indexed by object: map keys
 * hold their ops in op ID order, sequences hold their elements in RGA order in a {@link SeqTree}.
 * Reads derive values from it (the visible op with the greatest ID wins; a counter adds its
 * increments); {@link OpSetReader} does that, at the current state or at a past {@link Clock}.
 *
 * <p>Ops are applied one at a time in causal order; the caller guarantees that. An op that names an
 * unknown object or element raises {@link CorruptDataException}; with an {@link UndoLog} the caller
 * can then roll the whole change back.
 *
 * <p>Not thread-safe: a document confines it to one writer.
 */
public final class OpSet {
  /** The largest op counter: 2^32 - 1. */
  static final long COUNTER_MAX = 0xFFFF_FFFFL;

  private final ActorTable actors = new ActorTable();
  private final HashMap<ObjId, ObjState> objects = new HashMap<>();
  private final MapObj root = new MapObj(ObjId.ROOT, ObjType.MAP, null, null);
  private long maxOp;
  // The last object looked up, by identity of its ID; cleared when any object is removed.
  private @Nullable ObjId lastObjId;
  private @Nullable ObjState lastObj;
  private BatchObjects batch = BatchObjects.NONE;
  private final OpLinks links = new OpLinks(actors);

  public OpSet() {
    objects.put(ObjId.ROOT, root);
  }

  public ActorTable actors() {
    return actors;
  }

  /** The largest op counter applied so far; a new local op takes the next one. */
  public long maxOp() {
    return maxOp;
  }

  /**
   * Raises {@link #maxOp} to {@code counter} after a load: a document chunk stores no delete op, so
   * its largest stored counter can be below the largest maxOp of its changes, and a new local
   * change must start after the latter, as Automerge starts it.
   */
  public void raiseMaxOp(long counter) {
    maxOp = Math.max(maxOp, counter);
  }

  /** The object {@code id}, or null. */
  @SuppressWarnings("ReferenceEquality") // an identity check, falling back to the map
  @Nullable ObjState object(ObjId id) {
    // The ops of a change, and a reader's calls, mostly name one object after another: an
    // identity check spares hashing and comparing its ID (an Optional of an op ID of an actor).
    if (id == lastObjId) {
      return lastObj;
    }
    // Ops decoded from changes each carry their own ID instance: equal to the last one, mostly.
    if (lastObjId != null && id.equals(lastObjId)) {
      lastObjId = id;
      return lastObj;
    }
    ObjState found = objects.get(id);
    if (found != null) {
      lastObjId = id;
      lastObj = found;
    }
    return found;
  }

  MapObj root() {
    return root;
  }

  /**
   * Names the changes about to be applied ({@code changes}, and {@code queued} that they may
   * release): as JavaScript Automerge, an op may then act on an object an op of theirs makes later.
   * {@link #endBatch} forgets them.
   */
  public void beginBatch(Collection<Change> changes, Collection<Change> queued) {
    batch = new BatchObjects(List.of(changes, queued));
  }

  /** Ends what {@link #beginBatch} started. */
  public void endBatch() {
    batch = BatchObjects.NONE;
  }

  Iterable<ObjState> objects() {
    return objects.values();
  }

  int objectCount() {
    return objects.size();
  }

  /**
   * Applies one op of a change.
   *
   * @param undo receives the inverse of each mutation; null when the caller cannot roll back
   * @param patches receives the visible effects; null when nobody listens
   * @throws CorruptDataException if the op names an unknown object or element, or its key does not
   *     fit its object
   */
  public void apply(
      ChangeOp op, long counter, int actor, @Nullable UndoLog undo, @Nullable PatchLog patches) {
    apply(op, counter, actor, undo, patches, null);
  }

  /**
   * Applies one op as {@link #apply(ChangeOp, long, int, UndoLog, PatchLog)} does, with the element
   * its key names already resolved by the caller ({@code known}, null to look it up): a local edit
   * found it by index a moment before. Returns the stored op, null for a delete.
   */
  @Nullable Op apply(
      ChangeOp op,
      long counter,
      int actor,
      @Nullable UndoLog undo,
      @Nullable PatchLog patches,
      @Nullable Op known) {
    ObjState obj = object(op.obj());
    if (obj == null) {
      ObjType made = batch.typeOf(op.obj());
      if (made == null) {
        throw new CorruptDataException("op " + counter + " acts on unknown object " + op.obj());
      }
      // Its maker comes later in the batch: until then it is an orphan, which the maker adopts.
      obj = newOrphan(op.obj(), made, undo);
    }
    long previousMaxOp = maxOp;
    if (counter > maxOp) {
      maxOp = counter;
      if (undo != null) {
        undo.record(() -> maxOp = previousMaxOp);
      }
    }
    if (obj instanceof MapObj map) {
      // JavaScript keys a map op with the insert flag by its own ID, and an op with an element key
      // by that element, so no key shows either: it only overwrites what its preds name.
      if (op.key() instanceof Key.Prop prop && !op.insert()) {
        return applyToMap(map, prop.name(), op, counter, actor, undo, patches);
      }
      Op hidden =
          OpLinks.newOp(
              op, counter, actor, op.key() instanceof Key.Prop prop ? prop.name() : null, null);
      links.linkPreds(List.of(), null, op.pred(), hidden, Op.pack(counter, actor), undo, map);
      if (hidden != null) {
        // Kept, as a loaded one is, so that a save writes the change whole.
        ArrayList<Op> unkeyed = map.unkeyed == null ? new ArrayList<>(1) : map.unkeyed;
        map.unkeyed = unkeyed;
        unkeyed.add(hidden);
        if (undo != null) {
          undo.record(() -> unkeyed.remove(unkeyed.size() - 1));
        }
      }
      ObjId made = ObjId.of(new OpId(counter, actors.get(actor)));
      if (op.action().makesObject() && object(made) == null) {
        // JavaScript still makes the object, out of the root's reach; later ops may act on it.
        newOrphan(made, op.action().objType(), undo);
      }
      return null;
    } else {
      if (!(op.key() instanceof Key.Elem elemKey)) {
        throw new CorruptDataException(
            "op "
                + counter
                + " on sequence "
                + obj.id
                + " needs an element key, found "
                + op.key());
      }
      SeqObj seq = (SeqObj) obj;
      if (op.insert()) {
        return insert(seq, elemKey.elemId(), known, op, counter, actor, undo, patches);
      }
      return applyToElement(seq, elemKey.elemId(), known, op, counter, actor, undo, patches);
    }
  }

  private @Nullable Op applyToMap(
      MapObj map,
      String key,
      ChangeOp change,
      long counter,
      int actor,
      @Nullable UndoLog undo,
      @Nullable PatchLog patches) {
    @Nullable ArrayList<Op> found = map.keys.get(key);
    ArrayList<Op> slot;
    if (found != null) {
      slot = found;
    } else {
      slot = new ArrayList<>(1);
      map.keys.put(key, slot);
      if (undo != null) {
        undo.record(() -> map.keys.remove(key));
      }
    }
    @Nullable SlotState before = patches == null ? null : slotState(map, key, slot, undo);
    Op op = OpLinks.newOp(change, counter, actor, key, null);
    links.linkPreds(slot, null, change.pred(), op, Op.pack(counter, actor), undo, map);
    if (op != null) {
      links.addSorted(slot, op, undo);
      makeObjectIfNeeded(op, map, undo);
    }
    if (patches != null && before != null) {
      patches.mapChanged(this, map, key, before, slotState(map, key, slot, undo), op);
    }
    return op;
  }

  /**
   * What a reader sees at a map key, for a patch. The scan starts at the first visible op ({@link
   * MapObj#skipInvisible}, which moves the key's hint as a local put does): otherwise every change
   * to a key with a listener registered scanned the key's whole history twice.
   */
  private static SlotState slotState(
      MapObj map, String key, List<Op> slot, @Nullable UndoLog undo) {
    @Nullable Op winner = null;
    int visible = 0;
    for (int i = map.skipInvisible(key, slot, undo); i < slot.size(); i++) {
      Op op = slot.get(i);
      if (op.isVisible()) {
        winner = op;
        visible++;
      }
    }
    return new SlotState(winner, visible);
  }

  private Op insert(
      SeqObj seq,
      ElemId after,
      @Nullable Op known,
      ChangeOp change,
      long counter,
      int actor,
      @Nullable UndoLog undo,
      @Nullable PatchLog patches) {
    @Nullable Op reference =
        after.isHead() ? null : known != null ? known : element(seq, after, counter);
    // An inserted delete or increment is an element JavaScript keeps and never shows.
    Op op =
        change.action() == Action.DELETE
            ? OpLinks.newElement(change, counter, actor, reference)
            // Not a delete, so newOp stores an op.
            : Objects.requireNonNull(OpLinks.newOp(change, counter, actor, null, reference));
    // RGA: skip the elements after the reference whose IDs are greater; their descendants
    // have greater IDs still, so the whole subtree is skipped.
    @Nullable Op previous = reference;
    @Nullable Op next = reference == null ? seq.tree.first() : seq.tree.next(reference);
    while (next != null && actors.compare(next.counter(), next.actor, counter, actor) > 0) {
      previous = next;
      next = seq.tree.next(next);
    }
    seq.tree.insertAfter(previous, op, op.isVisible() ? op : null);
    seq.elements.add(op);
    boolean mark = op.action() == Action.MARK;
    if (mark) {
      seq.markCount++;
    }
    if (undo != null) {
      undo.record(
          () -> {
            seq.tree.remove(op);
            seq.elements.remove(op);
            if (mark) {
              seq.markCount--;
            }
          });
    }
    makeObjectIfNeeded(op, seq, undo);
    if (patches != null && op.widthCode != TextWidths.NONE) {
      patches.inserted(this, seq, op);
    } else if (patches != null && op.action() == Action.MARK) {
      patches.markChanged(this, seq, op);
    }
    return op;
  }

  private @Nullable Op applyToElement(
      SeqObj seq,
      ElemId target,
      @Nullable Op known,
      ChangeOp change,
      long counter,
      int actor,
      @Nullable UndoLog undo,
      @Nullable PatchLog patches) {
    Op element = known != null ? known : element(seq, target, counter);
    @Nullable Op shownBefore = winner(element);
    int widthBefore = patches == null ? 0 : seq.tree.width(element, patches.unit());
    long indexBefore = patches == null ? 0 : seq.tree.widthBefore(element, patches.unit());
    @Nullable SlotState before = patches == null ? null : SlotState.of(element);
    Op op = OpLinks.newOp(change, counter, actor, null, element);
    List<Op> others = element.others() == null ? List.of() : element.others();
    links.linkPreds(others, element, change.pred(), op, Op.pack(counter, actor), undo, seq);
    if (op != null) {
      List<Op> later = element.others();
      if (later == null) {
        later = element.startOthers();
        if (undo != null) {
          undo.record(element::dropOthers);
        }
      }
      links.addSorted(later, op, undo);
      makeObjectIfNeeded(op, seq, undo);
    }
    @Nullable Op shownAfter = winner(element);
    if (shownAfter != shownBefore) {
      seq.tree.setShown(element, shownAfter);
      if (undo != null) {
        undo.record(() -> seq.tree.setShown(element, shownBefore));
      }
    }
    if (patches != null && before != null) {
      patches.elementChanged(this, seq, element, indexBefore, widthBefore, before, op);
    }
    return op;
  }

  private Op element(SeqObj seq, ElemId elemId, long counter) {
    if (elemId.isHead()) {
      // Only an insert may name the head; a put, delete or increment needs an element.
      throw new CorruptDataException(
          "op " + counter + " on sequence " + seq.id + " names the head, not an element");
    }
    OpId id = elemId.opId().orElseThrow();
    int actorIndex = actors.indexOf(id.actor());
    Op element = seq.elements.get(id.counter(), actorIndex);
    if (element == null) {
      throw new CorruptDataException(
          "op " + counter + " refers to element " + id + " missing from " + seq.id);
    }
    return element;
  }

  private void makeObjectIfNeeded(Op op, ObjState parent, @Nullable UndoLog undo) {
    if (!op.action().makesObject()) {
      return;
    }
    ObjId id = ObjId.of(new OpId(op.counter(), actors.get(op.actor)));
    ObjType type = op.action().objType();
    ObjState orphan = objects.get(id);
    if (orphan != null && orphan.orphan() && orphan.type == type) {
      adopt(orphan, op, parent, undo);
      return;
    }
    ObjState obj =
        type.isSequence() ? new SeqObj(id, type, op, parent) : new MapObj(id, type, op, parent);
    objects.put(id, obj);
    if (undo != null) {
      undo.record(
          () -> {
            objects.remove(id);
            lastObjId = null;
            lastObj = null;
          });
    }
  }

  private ObjState newOrphan(ObjId id, ObjType type, @Nullable UndoLog undo) {
    ObjState obj =
        type.isSequence() ? new SeqObj(id, type, null, null) : new MapObj(id, type, null, null);
    objects.put(id, obj);
    if (undo != null) {
      undo.record(
          () -> {
            objects.remove(id);
            lastObjId = null;
            lastObj = null;
          });
    }
    return obj;
  }

  /**
   * Gives an orphan its maker. One that stands inside the object it makes is refused: JavaScript
   * accepts it, but its own save of such a document does not load again.
   */
  private static void adopt(ObjState orphan, Op make, ObjState parent, @Nullable UndoLog undo) {
    for (ObjState above = parent; above != null; above = above.parent) {
      if (above == orphan) {
        throw new CorruptDataException(
            "op " + make.counter() + " makes object " + orphan.id + " inside that object");
      }
    }
    orphan.makeOp = make;
    orphan.parent = parent;
    if (undo != null) {
      undo.record(
          () -> {
            orphan.makeOp = null;
            orphan.parent = null;
          });
    }
  }

  /** The visible value op with the greatest ID at an element, or null. */
  static @Nullable Op winner(Op element) {
    List<Op> others = element.others();
    if (others != null) {
      for (int i = others.size() - 1; i >= 0; i--) {
        Op op = others.get(i);
        if (op.isVisible()) {
          return op;
        }
      }
    }
    return element.isVisible() ? element : null;
  }

  long maxOpForLoad() {
    return maxOp;
  }

  void setMaxOpForLoad(long counter) {
    maxOp = counter;
  }

  /** Creates the object made by {@code op}, for the loader. */
  void registerObject(Op op, ObjState parent) {
    makeObjectIfNeeded(op, parent, null);
  }

  /**
   * Creates an object no op made, for the loader: a map if its first op has a property key, else a
   * list.
   */
  ObjState registerOrphan(ObjId id, boolean keyedByProperty) {
    ObjState obj =
        keyedByProperty
            ? new MapObj(id, ObjType.MAP, null, null)
            : new SeqObj(id, ObjType.LIST, null, null);
    objects.put(id, obj);
    return obj;
  }

  /** The actor index for {@code actor}, interning it. */
  public int intern(ActorId actor) {
    return actors.intern(actor);
  }
}
