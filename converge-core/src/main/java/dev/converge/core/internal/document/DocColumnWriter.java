package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.internal.change.OpColumns;
import dev.converge.core.internal.codec.BooleanEncoder;
import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.codec.DeltaEncoder;
import dev.converge.core.internal.codec.RleEncoder;
import dev.converge.core.internal.codec.StringRleEncoder;
import dev.converge.core.internal.codec.ValueEncoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a document's change columns and op columns in canonical form, in spec order, leaving out
 * the columns Automerge leaves out (all-null columns, an all-false expand column, empty raw value
 * columns, empty successor actor and counter columns).
 */
final class DocColumnWriter {
  private final Map<ActorId, Integer> actorIndex = new HashMap<>();
  private final ByteWriter data;
  private final EncodedColumns columns = new EncodedColumns();
  private final RleEncoder integers = new RleEncoder(false);
  private final DeltaEncoder deltas = new DeltaEncoder();
  private final StringRleEncoder strings = new StringRleEncoder();
  private final BooleanEncoder booleans = new BooleanEncoder();
  private int start;

  private DocColumnWriter(List<ActorId> actors, ByteWriter data) {
    for (int i = 0; i < actors.size(); i++) {
      actorIndex.put(actors.get(i), i);
    }
    this.data = data;
    this.start = data.size();
  }

  static EncodedColumns writeChanges(
      List<DocChange> changes, List<ActorId> actors, ByteWriter data) {
    DocColumnWriter writer = new DocColumnWriter(actors, data);
    writer.changes(changes);
    return writer.columns;
  }

  static EncodedColumns writeOps(List<DocOp> ops, List<ActorId> actors, ByteWriter data) {
    DocColumnWriter writer = new DocColumnWriter(actors, data);
    writer.ops(ops);
    return writer.columns;
  }

  private void end(dev.converge.core.internal.codec.ColumnSpec spec) {
    start = columns.end(spec, start, data);
  }

  private int index(ActorId actor) {
    Integer index = actorIndex.get(actor);
    if (index == null) {
      throw new IllegalArgumentException("actor " + actor + " is not in the document's actor list");
    }
    return index;
  }

  private void changes(List<DocChange> changes) {
    integers.begin(data);
    changes.forEach(change -> integers.append(index(change.actor())));
    integers.finish();
    end(DocChangeColumns.ACTOR);
    deltas.begin(data);
    changes.forEach(change -> deltas.append(change.seq()));
    deltas.finish();
    end(DocChangeColumns.SEQ);
    deltas.begin(data);
    changes.forEach(change -> deltas.append(change.maxOp()));
    deltas.finish();
    end(DocChangeColumns.MAX_OP);
    deltas.begin(data);
    changes.forEach(change -> deltas.append(change.time()));
    deltas.finish();
    end(DocChangeColumns.TIME);
    strings.begin(data);
    for (DocChange change : changes) {
      if (change.message().isPresent()) {
        strings.append(change.message().get());
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    end(DocChangeColumns.MESSAGE);
    integers.begin(data);
    changes.forEach(change -> integers.append(change.depRows().size()));
    integers.finish();
    end(DocChangeColumns.DEPS_GROUP);
    deltas.begin(data);
    changes.forEach(change -> change.depRows().forEach(row -> deltas.append(row)));
    deltas.finish();
    end(DocChangeColumns.DEPS_INDEX);
    ValueEncoder extra = new ValueEncoder();
    extra.begin(data);
    changes.forEach(change -> extra.appendEncoded(7, change.extraBytes().toBytes()));
    extra.finish();
    end(DocChangeColumns.EXTRA_METADATA);
    data.writeBytes(extra.raw().array(), 0, extra.raw().size());
    end(DocChangeColumns.EXTRA_RAW);
  }

  private void ops(List<DocOp> ops) {
    integers.begin(data);
    for (DocOp op : ops) {
      Optional<OpId> obj = op.obj().opId();
      if (obj.isPresent()) {
        integers.append(index(obj.get().actor()));
      } else {
        integers.appendNull();
      }
    }
    integers.finish();
    end(OpColumns.OBJ_ACTOR);
    integers.begin(data);
    for (DocOp op : ops) {
      ObjId obj = op.obj();
      if (obj.isRoot()) {
        integers.appendNull();
      } else {
        integers.append(obj.opId().orElseThrow().counter());
      }
    }
    integers.finish();
    end(OpColumns.OBJ_COUNTER);
    keys(ops);
    integers.begin(data);
    ops.forEach(op -> integers.append(index(op.id().actor())));
    integers.finish();
    end(OpColumns.ID_ACTOR);
    deltas.begin(data);
    ops.forEach(op -> deltas.append(op.id().counter()));
    deltas.finish();
    end(OpColumns.ID_COUNTER);
    booleans.begin(data);
    ops.forEach(op -> booleans.append(op.insert()));
    booleans.finish();
    end(OpColumns.INSERT_FLAG);
    integers.begin(data);
    ops.forEach(op -> integers.append(op.action().code()));
    integers.finish();
    end(OpColumns.ACTION_CODE);
    ValueEncoder values = new ValueEncoder();
    values.begin(data);
    ops.forEach(op -> values.append(op.value()));
    values.finish();
    end(OpColumns.VALUE_METADATA);
    data.writeBytes(values.raw().array(), 0, values.raw().size());
    end(OpColumns.VALUE_RAW);
    successors(ops);
    booleans.begin(data);
    ops.forEach(op -> booleans.append(op.expand()));
    booleans.finish();
    if (!booleans.anyTrue()) {
      data.truncate(start);
    }
    end(OpColumns.EXPAND_FLAG);
    strings.begin(data);
    for (DocOp op : ops) {
      if (op.markName().isPresent()) {
        strings.append(op.markName().get());
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    end(OpColumns.MARK_NAME_STRING);
  }

  private void keys(List<DocOp> ops) {
    integers.begin(data);
    for (DocOp op : ops) {
      Optional<OpId> element =
          op.key() instanceof Key.Elem elem ? elem.elemId().opId() : Optional.empty();
      if (element.isPresent()) {
        integers.append(index(element.get().actor()));
      } else {
        integers.appendNull();
      }
    }
    integers.finish();
    end(OpColumns.KEY_ACTOR);
    deltas.begin(data);
    for (DocOp op : ops) {
      if (op.key() instanceof Key.Elem elem) {
        deltas.append(elem.elemId().opId().map(OpId::counter).orElse(0L));
      } else {
        deltas.appendNull();
      }
    }
    deltas.finish();
    end(OpColumns.KEY_COUNTER);
    strings.begin(data);
    for (DocOp op : ops) {
      if (op.key() instanceof Key.Prop prop) {
        strings.append(prop.name());
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    end(OpColumns.KEY_STRING);
  }

  private void successors(List<DocOp> ops) {
    integers.begin(data);
    ops.forEach(op -> integers.append(op.succ().size()));
    integers.finish();
    end(OpColumns.SUCC_GROUP);
    integers.begin(data);
    ops.forEach(op -> op.succ().forEach(id -> integers.append(index(id.actor()))));
    integers.finish();
    end(OpColumns.SUCC_ACTOR);
    deltas.begin(data);
    ops.forEach(op -> op.succ().forEach(id -> deltas.append(id.counter())));
    deltas.finish();
    end(OpColumns.SUCC_COUNTER);
  }
}
