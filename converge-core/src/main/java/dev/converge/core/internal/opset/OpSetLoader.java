package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.document.DocOp;
import java.util.ArrayList;
import java.util.List;

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
  private final OpSet opSet;
  private final LongMap<Op> increments = new LongMap<>();
  private final List<Op> counters = new ArrayList<>();
  private final List<long[]> counterSuccessors = new ArrayList<>();
  private final List<SeqObj> sequences = new ArrayList<>();

  private OpSetLoader(OpSet opSet) {
    this.opSet = opSet;
  }

  /**
   * Fills the empty {@code opSet} with {@code ops}.
   *
   * @param actors the document's actors, interned first so indexes follow the file
   * @throws CorruptDataException if an op names an unknown object or element, or a key that does
   *     not fit its object
   */
  public static void load(OpSet opSet, List<ActorId> actors, List<DocOp> ops) {
    for (ActorId actor : actors) {
      opSet.intern(actor);
    }
    OpSetLoader loader = new OpSetLoader(opSet);
    for (DocOp op : ops) {
      loader.add(op);
    }
    loader.finish();
  }

  private void add(DocOp docOp) {
    ObjState obj = opSet.object(docOp.obj());
    if (obj == null) {
      throw new CorruptDataException("op " + docOp.id() + " acts on unknown object " + docOp.obj());
    }
    OpId id = docOp.id();
    int actor = opSet.actors().indexOf(id.actor());
    if (actor < 0) {
      throw new CorruptDataException("op " + id + " has an actor missing from the actor table");
    }
    long[] successors = pack(docOp.succ());
    Op op;
    if (obj instanceof MapObj map) {
      if (!(docOp.key() instanceof Key.Prop prop) || docOp.insert()) {
        throw new CorruptDataException("op " + id + " on map " + obj.id + " needs a property key");
      }
      op = newOp(docOp, actor, prop.name(), null);
      map.keys.computeIfAbsent(prop.name(), key -> new ArrayList<>(1)).add(op);
    } else {
      SeqObj seq = (SeqObj) obj;
      if (!(docOp.key() instanceof Key.Elem elemKey)) {
        throw new CorruptDataException("op " + id + " on sequence " + obj.id + " needs an element");
      }
      Op element = elemKey.elemId().isHead() ? null : element(seq, elemKey.elemId(), id);
      op = newOp(docOp, actor, null, element);
      if (docOp.insert()) {
        Op previous = lastSeq == seq ? lastInsert : lastOf(seq);
        seq.tree.insertAfter(previous, op);
        lastSeq = seq;
        lastInsert = op;
        seq.elements.put(op.packedId(), op);
        if (op.action == Action.MARK) {
          seq.markCount++;
        }
        if (sequences.isEmpty() || sequences.get(sequences.size() - 1) != seq) {
          sequences.add(seq);
        }
      } else {
        if (element == null) {
          throw new CorruptDataException("op " + id + " overwrites the head of " + seq.id);
        }
        if (element.others == null) {
          element.others = new ArrayList<>(1);
        }
        element.others.add(op);
      }
    }
    if (op.action == Action.INCREMENT) {
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
    if (op.counter > opSet.maxOpForLoad()) {
      opSet.setMaxOpForLoad(op.counter);
    }
    if (op.action.makesObject()) {
      opSet.registerObject(op, obj);
    }
  }

  // A sequence's ops are stored together, so each element goes right after the one before.
  private Op lastInsert;
  private SeqObj lastSeq;

  private static Op lastOf(SeqObj seq) {
    return seq.tree.size() == 0 ? null : seq.tree.elementAt(seq.tree.size() - 1);
  }

  private Op element(SeqObj seq, ElemId elemId, OpId by) {
    OpId id = elemId.opId().orElseThrow();
    int actor = opSet.actors().indexOf(id.actor());
    Op element = actor < 0 ? null : seq.elements.get(Op.pack(id.counter(), actor));
    if (element == null) {
      throw new CorruptDataException(
          "op " + by + " refers to element " + id + " not stored before it in " + seq.id);
    }
    return element;
  }

  private static Op newOp(DocOp docOp, int actor, String key, Op elem) {
    return new Op(
        docOp.id().counter(),
        actor,
        docOp.action(),
        docOp.insert(),
        docOp.value(),
        key,
        elem,
        docOp.markName().orElse(null),
        docOp.expand());
  }

  private long[] pack(List<OpId> ids) {
    long[] packed = new long[ids.size()];
    for (int i = 0; i < packed.length; i++) {
      OpId id = ids.get(i);
      int actor = opSet.actors().indexOf(id.actor());
      if (actor < 0) {
        throw new CorruptDataException("successor " + id + " has an unknown actor");
      }
      packed[i] = Op.pack(id.counter(), actor);
    }
    return packed;
  }

  private void finish() {
    for (int i = 0; i < counters.size(); i++) {
      Op counter = counters.get(i);
      for (long successor : counterSuccessors.get(i)) {
        Op increment = increments.get(successor);
        if (increment != null) {
          if (counter.incs == null) {
            counter.incs = new ArrayList<>(1);
          }
          counter.incs.add(increment);
        } else {
          counter.addSucc(successor);
        }
      }
    }
    for (SeqObj seq : sequences) {
      for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
        int width = OpSet.visibleWidth(seq, element);
        if (width != 0) {
          seq.tree.setWidth(element, width);
        }
      }
    }
  }
}
