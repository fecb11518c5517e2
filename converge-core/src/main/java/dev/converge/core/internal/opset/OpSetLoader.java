package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.document.DocOps;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds an op set straight from a document chunk's ops, which are stored in document order with
 * their successors: map ops by key, sequence elements in RGA order. Appending them as they come
 * gives the same op set as applying every change one by one, without the RGA search, the
 * predecessor lookups or the undo log, which is what makes loading fast.
 *
 * <p>Increments are told apart from overwrites among a counter's successors only after every op is
 * read, since an increment is stored after the counter it adds to; element widths are set at the
 * end for the same reason.
 */
public final class OpSetLoader {
  private static final long[] NO_SUCCESSORS = new long[0];

  private final OpSet opSet;
  private final LongMap<Op> increments = new LongMap<>();
  private final List<Op> counters = new ArrayList<>();
  private final List<long[]> counterSuccessors = new ArrayList<>();
  private final List<SeqObj> sequences = new ArrayList<>();
  private final IdentityHashMap<SeqObj, LongMap<Op>> loadingElements = new IdentityHashMap<>();
  private @Nullable LongMap<Op> lastElements;
  private @Nullable SeqObj lastElementsSeq;
  private int[] actorIndexes = new int[0];
  // Ops are stored grouped by object: the object of the previous op is looked up again only when
  // the next op's differs.
  private @Nullable ObjState lastObj;
  private int lastObjActor = -2;
  private long lastObjCounter;
  // A sequence's ops are stored together, so each element goes right after the one before.
  private @Nullable Op lastInsert;
  private @Nullable SeqObj lastSeq;
  // The key of lastInsert's group: its own ID for an insert, the element it names otherwise.
  private long lastGroupKey;

  private OpSetLoader(OpSet opSet) {
    this.opSet = opSet;
  }

  /**
   * Fills the empty {@code opSet} with {@code ops}.
   *
   * @throws CorruptDataException if an op names an unknown element, or a property on a sequence, or
   *     an object's ops come before the op that makes it
   */
  public static void load(OpSet opSet, DocOps ops) {
    OpSetLoader loader = new OpSetLoader(opSet);
    // Actors are interned in file order, so the op set's indexes follow the file's.
    loader.actorIndexes = new int[ops.actors().size()];
    for (int i = 0; i < loader.actorIndexes.length; i++) {
      loader.actorIndexes[i] = opSet.intern(ops.actors().get(i));
    }
    for (int row = 0; row < ops.size(); row++) {
      loader.add(ops, row);
    }
    loader.finish();
  }

  private ObjState object(DocOps ops, int row) {
    int actor = ops.objActor(row);
    long counter = ops.objCounter(row);
    if (actor != lastObjActor || counter != lastObjCounter || lastObj == null) {
      ObjId id = actor < 0 ? ObjId.ROOT : ObjId.of(ops.opId(actor, counter));
      lastObj = opSet.object(id);
      lastObjActor = actor;
      lastObjCounter = counter;
      if (lastObj == null) {
        // As JavaScript Automerge: ops on an object no op made are kept, out of the root's reach.
        lastObj = opSet.registerOrphan(id, ops.keyProp(row) != null);
      }
    }
    return lastObj;
  }

  private static OpId opId(DocOps ops, int row) {
    return ops.opId(ops.idActor(row), ops.idCounter(row));
  }

  private void add(DocOps ops, int row) {
    ObjState obj = object(ops, row);
    int actor = actorIndexes[ops.idActor(row)];
    long[] successors = successors(ops, row);
    Op op;
    String prop = ops.keyProp(row);
    if (obj instanceof MapObj map) {
      if (prop == null || ops.insert(row)) {
        // JavaScript keys a map op with an element key by that element, and one with the insert
        // flag by its own ID, where no key shows them; it is kept for saving, and what it would
        // make is made by no op here (an orphan, if it has ops).
        Op unkeyed =
            newOp(
                ops,
                row,
                actor,
                prop,
                prop != null || ops.keyActor(row) < 0
                    ? null
                    : standIn(Op.pack(ops.keyCounter(row), actorIndexes[ops.keyActor(row)])));
        if (map.unkeyed == null) {
          map.unkeyed = new ArrayList<>(1);
        }
        map.unkeyed.add(unkeyed);
        for (long successor : successors(ops, row)) {
          unkeyed.addSucc(successor);
        }
        maxOp(unkeyed);
        return;
      }
      op = newOp(ops, row, actor, prop, null);
      map.keys.computeIfAbsent(prop, key -> new ArrayList<>(1)).add(op);
    } else {
      SeqObj seq = (SeqObj) obj;
      if (prop != null) {
        throw new CorruptDataException(
            "op " + opId(ops, row) + " on sequence " + obj.id + " needs an element");
      }
      op = addToSequence(seq, ops, row, actor);
    }
    if (op.action() == Action.INCREMENT) {
      increments.put(op.packedId(), op);
    }
    if (op.value instanceof ScalarValue.Counter && successors.length > 0) {
      counters.add(op);
      counterSuccessors.add(successors);
    } else {
      for (long successor : successors) {
        op.addSucc(successor);
      }
    }
    maxOp(op);
    if (op.action().makesObject()) {
      ObjState made = opSet.object(ObjId.of(opId(ops, row)));
      if (made != null) {
        // Only a mutated file stores an object's ops before the op that makes it.
        throw new CorruptDataException(
            "object "
                + made.id
                + " has ops stored before the op "
                + opId(ops, row)
                + " that makes it");
      }
      opSet.registerObject(op, obj);
    }
  }

  /**
   * Adds a sequence op as JavaScript Automerge reads a document chunk: ops run in groups of one
   * element, an insert followed by the ops aimed at it, and an op aimed at an element other than
   * the group's stands where it is stored as an element of its own (only a file no Automerge wrote
   * has one).
   */
  private Op addToSequence(SeqObj seq, DocOps ops, int row, int actor) {
    boolean insert = ops.insert(row);
    if (!insert && ops.keyActor(row) < 0) {
      throw new CorruptDataException("op " + opId(ops, row) + " overwrites the head of " + seq.id);
    }
    long key =
        ops.keyActor(row) < 0 ? -1 : Op.pack(ops.keyCounter(row), actorIndexes[ops.keyActor(row)]);
    if (!insert && lastSeq == seq && lastInsert != null && key == lastGroupKey) {
      Op group = lastInsert;
      Op op = newOp(ops, row, actor, null, group.insert() ? group : group.elem());
      @Nullable List<Op> others = group.others();
      (others == null ? group.startOthers() : others).add(op);
      return op;
    }
    Op op = newOp(ops, row, actor, null, key < 0 ? null : elementOrStandIn(seq, key));
    @Nullable Op previous = lastSeq == seq ? lastInsert : lastOf(seq);
    // Shown once every op is in (finish): successors and overwrites come later.
    seq.tree.insertAfter(previous, op, null);
    lastSeq = seq;
    lastInsert = op;
    lastGroupKey = insert ? op.packedId() : key;
    if (insert) {
      elementsOf(seq).put(op.packedId(), op);
      seq.elements.addUnsorted(op);
    }
    if (op.action() == Action.MARK) {
      seq.markCount++;
    }
    if (sequences.isEmpty() || sequences.get(sequences.size() - 1) != seq) {
      sequences.add(seq);
    }
    return op;
  }

  /**
   * The element of {@code seq} with packed ID {@code key} if it is stored before, else an op that
   * stands for its ID only (a file Automerge writes names no element stored later or nowhere).
   */
  private Op elementOrStandIn(SeqObj seq, long key) {
    Op element = elementsOf(seq).get(key);
    return element != null ? element : standIn(key);
  }

  /**
   * An op that stands for the element ID {@code key} only, for an element stored nowhere before.
   */
  private static Op standIn(long key) {
    return new Op(
        Op.counterOf(key),
        Op.actorOf(key),
        Action.DELETE,
        true,
        ScalarValue.NULL,
        null,
        null,
        null,
        false);
  }

  private void maxOp(Op op) {
    if (op.counter() > opSet.maxOpForLoad()) {
      opSet.setMaxOpForLoad(op.counter());
    }
  }

  private static @Nullable Op lastOf(SeqObj seq) {
    return seq.tree.size() == 0 ? null : seq.tree.elementAt(seq.tree.size() - 1);
  }

  /**
   * The elements of {@code seq} loaded so far, by packed ID: the sequence's own index is sorted by
   * counter only once every element is in, and a document stores them in document order.
   */
  private LongMap<Op> elementsOf(SeqObj seq) {
    @Nullable LongMap<Op> elements = lastElements;
    if (seq != lastElementsSeq || elements == null) {
      elements = loadingElements.computeIfAbsent(seq, s -> new LongMap<>());
      lastElements = elements;
      lastElementsSeq = seq;
    }
    return elements;
  }

  private static Op newOp(DocOps ops, int row, int actor, @Nullable String key, @Nullable Op elem) {
    return new Op(
        ops.idCounter(row),
        actor,
        ops.action(row),
        ops.insert(row),
        ops.value(row),
        key,
        elem,
        ops.markName(row),
        ops.expand(row));
  }

  private long[] successors(DocOps ops, int row) {
    int from = ops.succFrom(row);
    int to = ops.succTo(row);
    if (from == to) {
      return NO_SUCCESSORS;
    }
    long[] packed = new long[to - from];
    for (int s = from; s < to; s++) {
      packed[s - from] = Op.pack(ops.succCounter(s), actorIndexes[ops.succActor(s)]);
    }
    return packed;
  }

  private void finish() {
    for (SeqObj seq : loadingElements.keySet()) {
      seq.elements.sortAll();
    }
    for (int i = 0; i < counters.size(); i++) {
      Op counter = counters.get(i);
      for (long successor : counterSuccessors.get(i)) {
        Op increment = increments.get(successor);
        if (increment != null) {
          counter.incsForAdding().add(increment);
        } else {
          counter.addSucc(successor);
        }
      }
    }
    for (SeqObj seq : sequences) {
      for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
        Op shown = OpSet.winner(element);
        if (shown != null) {
          seq.tree.setShown(element, shown);
        }
      }
    }
  }
}
