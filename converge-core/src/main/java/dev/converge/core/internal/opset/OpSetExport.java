package dev.converge.core.internal.opset;

import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.internal.document.DocOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Lists every stored op in the order a document chunk stores them (format §2.9): the root's ops
 * first, then every other object by the ID of the op that made it; a map's ops by key (UTF-8 byte
 * order), then op ID; a sequence's ops element by element in document order, each element's insert
 * op followed by the ops aimed at it. Successors are listed ascending, increments included.
 */
public final class OpSetExport {
  private final OpSet opSet;
  private final OpSetReader reader;

  public OpSetExport(OpSet opSet) {
    this.opSet = opSet;
    this.reader = new OpSetReader(opSet, null);
  }

  public List<DocOp> ops() {
    List<ObjState> objects = new ArrayList<>();
    for (ObjState obj : opSet.objects()) {
      if (obj.makeOp != null) {
        objects.add(obj);
      }
    }
    objects.sort(Comparator.comparing((ObjState obj) -> obj.id.opId().orElseThrow()));
    List<DocOp> ops = new ArrayList<>();
    export(opSet.root(), ops);
    for (ObjState obj : objects) {
      export(obj, ops);
    }
    return ops;
  }

  private void export(ObjState obj, List<DocOp> out) {
    if (obj instanceof MapObj map) {
      List<String> keys = new ArrayList<>(map.keys.keySet());
      keys.sort(OpSetReader::compareUtf8);
      for (String key : keys) {
        for (Op op : map.keys.get(key)) {
          out.add(docOp(obj.id, Key.prop(key), op));
        }
      }
      return;
    }
    SeqObj seq = (SeqObj) obj;
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      out.add(docOp(obj.id, Key.elem(elemId(element.elem)), element));
      if (element.others != null) {
        Key target = Key.elem(elemId(element));
        for (Op op : element.others) {
          out.add(docOp(obj.id, target, op));
        }
      }
    }
  }

  private ElemId elemId(Op element) {
    return element == null ? ElemId.HEAD : ElemId.of(reader.opId(element));
  }

  private DocOp docOp(ObjId obj, Key key, Op op) {
    List<OpId> succ = new ArrayList<>(op.succCount() + (op.incs == null ? 0 : op.incs.size()));
    for (int i = 0; i < op.succCount(); i++) {
      succ.add(new OpId(Op.counterOf(op.succAt(i)), opSet.actors().get(Op.actorOf(op.succAt(i)))));
    }
    if (op.incs != null) {
      for (Op inc : op.incs) {
        succ.add(reader.opId(inc));
      }
    }
    if (succ.size() > 1) {
      succ.sort(null);
    }
    return new DocOp(
        obj,
        key,
        reader.opId(op),
        op.insert,
        op.action,
        op.value,
        succ,
        op.expand,
        Optional.ofNullable(op.markName));
  }
}
