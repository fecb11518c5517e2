package dev.converge.core.internal.opset;

import dev.converge.core.ActorId;
import dev.converge.core.OpId;
import dev.converge.core.internal.document.DocOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Lists every stored op in the order a document chunk stores them (compat §2.9): the root's ops
 * first, then every other object by the ID of the op that made it; a map's ops by key (UTF-8 byte
 * order), then op ID; a sequence's ops element by element in document order, each element's insert
 * op followed by the ops aimed at it. Successors are listed ascending, increments included.
 *
 * <p>The ops go straight into {@link DocOps} columns, actors as indexes into the document's sorted
 * actor list: a save makes no object per op.
 */
public final class OpSetExport {
  private final OpSet opSet;
  private final List<ActorId> actors;
  // Our actor table's index to the index in the sorted list the document chunk uses.
  private final int[] sortedIndex;
  private long[] succScratch = new long[8];

  /**
   * @param actors every actor of the op set's ops, sorted (the document chunk's actor list)
   */
  public OpSetExport(OpSet opSet, List<ActorId> actors) {
    this.opSet = opSet;
    this.actors = actors;
    ActorTable table = opSet.actors();
    this.sortedIndex = new int[table.size()];
    for (int i = 0; i < sortedIndex.length; i++) {
      sortedIndex[i] = Collections.binarySearch(actors, table.get(i));
    }
  }

  public DocOps ops() {
    List<ObjState> objects = new ArrayList<>();
    for (ObjState obj : opSet.objects()) {
      if (!obj.id.isRoot()) {
        objects.add(obj);
      }
    }
    objects.sort(Comparator.comparing((ObjState obj) -> obj.id.opId().orElseThrow()));
    DocOps ops = DocOps.withCapacity(actors, 1024);
    export(opSet.root(), ops);
    for (ObjState obj : objects) {
      export(obj, ops);
    }
    return ops;
  }

  private void export(ObjState obj, DocOps out) {
    if (obj instanceof MapObj map) {
      List<String> keys = new ArrayList<>(map.keys.keySet());
      keys.sort(OpSetReader::compareUtf8);
      for (String key : keys) {
        // The keys were just listed from the map.
        for (Op op : Objects.requireNonNull(map.keys.get(key))) {
          int row = add(obj, op, out);
          out.setPropKey(row, key);
        }
      }
      if (map.unkeyed != null) {
        for (Op op : map.unkeyed) {
          int row = add(obj, op, out);
          Op elem = op.elem();
          if (op.key() != null) {
            out.setPropKey(row, op.key());
          } else if (elem == null) {
            out.setElemKey(row, -1, 0);
          } else {
            out.setElemKey(row, actorIndex(elem.actor), elem.counter());
          }
        }
      }
      return;
    }
    SeqObj seq = (SeqObj) obj;
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      int row = add(obj, element, out);
      Op before = element.elem();
      if (before == null) {
        out.setElemKey(row, -1, 0);
      } else {
        out.setElemKey(row, actorIndex(before.actor), before.counter());
      }
      if (element.others() != null) {
        // An element's group is keyed by the element; a stand-alone non-insert op's (stored where
        // a file no Automerge wrote put it) by the element it names.
        Op key = element.insert() ? element : Objects.requireNonNull(element.elem(), "element");
        for (Op op : element.others()) {
          int other = add(obj, op, out);
          out.setElemKey(other, actorIndex(key.actor), key.counter());
        }
      }
    }
  }

  private int actorIndex(int tableIndex) {
    int index = sortedIndex[tableIndex];
    if (index < 0) {
      throw new IllegalArgumentException(
          "actor " + opSet.actors().get(tableIndex) + " is not in the document's actor list");
    }
    return index;
  }

  /** Adds the op's row, all but its key, and returns it. */
  private int add(ObjState obj, Op op, DocOps out) {
    int row = out.addRow();
    Op maker = obj.makeOp;
    if (maker != null) {
      out.setObj(row, actorIndex(maker.actor), maker.counter());
    } else if (obj.orphan()) {
      OpId id = obj.id.opId().orElseThrow();
      out.setObj(row, actorIndex(opSet.actors().indexOf(id.actor())), id.counter());
    } else {
      out.setObj(row, -1, 0);
    }
    out.setOp(
        row,
        actorIndex(op.actor),
        op.counter(),
        op.insert(),
        op.action(),
        op.value,
        op.expand(),
        op.markName());
    addSuccessors(op, out);
    return row;
  }

  /** Successors and increments, ascending by op ID: by counter, then actor (sorted indexes). */
  private void addSuccessors(Op op, DocOps out) {
    int count = op.succCount() + (op.incs() == null ? 0 : op.incs().size());
    if (count == 0) {
      return;
    }
    if (count > succScratch.length) {
      succScratch = new long[Math.max(count, succScratch.length * 2)];
    }
    int n = 0;
    for (int i = 0; i < op.succCount(); i++) {
      long packed = op.succAt(i);
      succScratch[n++] = Op.pack(Op.counterOf(packed), actorIndex(Op.actorOf(packed)));
    }
    if (op.incs() != null) {
      for (Op inc : op.incs()) {
        succScratch[n++] = Op.pack(inc.counter(), actorIndex(inc.actor));
      }
    }
    if (n > 1) {
      Arrays.sort(succScratch, 0, n);
    }
    for (int i = 0; i < n; i++) {
      out.addSuccessor(Op.actorOf(succScratch[i]), Op.counterOf(succScratch[i]));
    }
  }
}
