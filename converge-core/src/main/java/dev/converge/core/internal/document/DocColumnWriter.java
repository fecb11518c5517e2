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
  private static final byte[] NO_BYTES = new byte[0];
  private final Map<ActorId, Integer> actorIndex = new HashMap<>();
  private final ByteWriter data;
  private final EncodedColumns columns = new EncodedColumns();
  private int start;
  private ActorId lastActor = ActorId.of(new byte[0]);
  private int lastIndex;

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
    // Runs of ops by one actor are the common case; skip the map for them.
    if (actor.equals(lastActor)) {
      return lastIndex;
    }
    Integer index = actorIndex.get(actor);
    if (index == null) {
      throw new IllegalArgumentException("actor " + actor + " is not in the document's actor list");
    }
    lastActor = actor;
    lastIndex = index;
    return index;
  }

  /** Writes the change columns in one pass over the changes, as {@link #ops} does for ops. */
  private void changes(List<DocChange> changes) {
    ByteWriter actorOut = new ByteWriter(256);
    ByteWriter seqOut = new ByteWriter(256);
    ByteWriter maxOpOut = new ByteWriter(256);
    ByteWriter timeOut = new ByteWriter(256);
    ByteWriter messageOut = new ByteWriter(256);
    ByteWriter depsGroupOut = new ByteWriter(256);
    ByteWriter depsIndexOut = new ByteWriter(256);
    ByteWriter extraMetaOut = new ByteWriter(256);
    RleEncoder actor = new RleEncoder(false);
    DeltaEncoder seq = new DeltaEncoder();
    DeltaEncoder maxOp = new DeltaEncoder();
    DeltaEncoder time = new DeltaEncoder();
    StringRleEncoder message = new StringRleEncoder();
    RleEncoder depsGroup = new RleEncoder(false);
    DeltaEncoder depsIndex = new DeltaEncoder();
    ValueEncoder extra = new ValueEncoder();
    actor.begin(actorOut);
    seq.begin(seqOut);
    maxOp.begin(maxOpOut);
    time.begin(timeOut);
    message.begin(messageOut);
    depsGroup.begin(depsGroupOut);
    depsIndex.begin(depsIndexOut);
    extra.begin(extraMetaOut);
    for (int i = 0, n = changes.size(); i < n; i++) {
      DocChange change = changes.get(i);
      actor.append(index(change.actor()));
      seq.append(change.seq());
      maxOp.append(change.maxOp());
      time.append(change.time());
      if (change.message().isPresent()) {
        message.append(change.message().get());
      } else {
        message.appendNull();
      }
      List<Integer> deps = change.depRows();
      depsGroup.append(deps.size());
      for (int d = 0, m = deps.size(); d < m; d++) {
        depsIndex.append(deps.get(d));
      }
      DocChange.ExtraBytes extraBytes = change.extraBytes();
      extra.appendEncoded(7, extraBytes.length() == 0 ? NO_BYTES : extraBytes.toBytes());
    }
    actor.finish();
    seq.finish();
    maxOp.finish();
    time.finish();
    message.finish();
    depsGroup.finish();
    depsIndex.finish();
    extra.finish();
    column(DocChangeColumns.ACTOR, actorOut);
    column(DocChangeColumns.SEQ, seqOut);
    column(DocChangeColumns.MAX_OP, maxOpOut);
    column(DocChangeColumns.TIME, timeOut);
    column(DocChangeColumns.MESSAGE, messageOut);
    column(DocChangeColumns.DEPS_GROUP, depsGroupOut);
    column(DocChangeColumns.DEPS_INDEX, depsIndexOut);
    column(DocChangeColumns.EXTRA_METADATA, extraMetaOut);
    column(DocChangeColumns.EXTRA_RAW, extra.raw());
  }

  /**
   * Writes every op column in one pass over the ops, each column into its own buffer, then appends
   * them in spec order: one pass over a few hundred thousand ops costs far less than sixteen.
   */
  private void ops(List<DocOp> ops) {
    ByteWriter objActorOut = new ByteWriter(256);
    ByteWriter objCounterOut = new ByteWriter(256);
    ByteWriter keyActorOut = new ByteWriter(256);
    ByteWriter keyCounterOut = new ByteWriter(256);
    ByteWriter keyStringOut = new ByteWriter(256);
    ByteWriter idActorOut = new ByteWriter(256);
    ByteWriter idCounterOut = new ByteWriter(256);
    ByteWriter insertOut = new ByteWriter(256);
    ByteWriter actionOut = new ByteWriter(256);
    ByteWriter valueMetaOut = new ByteWriter(256);
    ByteWriter succGroupOut = new ByteWriter(256);
    ByteWriter succActorOut = new ByteWriter(256);
    ByteWriter succCounterOut = new ByteWriter(256);
    ByteWriter expandOut = new ByteWriter(256);
    ByteWriter markNameOut = new ByteWriter(256);
    RleEncoder objActor = new RleEncoder(false);
    RleEncoder objCounter = new RleEncoder(false);
    RleEncoder keyActor = new RleEncoder(false);
    DeltaEncoder keyCounter = new DeltaEncoder();
    StringRleEncoder keyString = new StringRleEncoder();
    RleEncoder idActor = new RleEncoder(false);
    DeltaEncoder idCounter = new DeltaEncoder();
    BooleanEncoder insert = new BooleanEncoder();
    RleEncoder action = new RleEncoder(false);
    ValueEncoder values = new ValueEncoder();
    RleEncoder succGroup = new RleEncoder(false);
    RleEncoder succActor = new RleEncoder(false);
    DeltaEncoder succCounter = new DeltaEncoder();
    BooleanEncoder expand = new BooleanEncoder();
    StringRleEncoder markName = new StringRleEncoder();
    objActor.begin(objActorOut);
    objCounter.begin(objCounterOut);
    keyActor.begin(keyActorOut);
    keyCounter.begin(keyCounterOut);
    keyString.begin(keyStringOut);
    idActor.begin(idActorOut);
    idCounter.begin(idCounterOut);
    insert.begin(insertOut);
    action.begin(actionOut);
    values.begin(valueMetaOut);
    succGroup.begin(succGroupOut);
    succActor.begin(succActorOut);
    succCounter.begin(succCounterOut);
    expand.begin(expandOut);
    markName.begin(markNameOut);
    for (int i = 0, n = ops.size(); i < n; i++) {
      DocOp op = ops.get(i);
      ObjId obj = op.obj();
      if (obj.isRoot()) {
        objActor.appendNull();
        objCounter.appendNull();
      } else {
        OpId objId = obj.opId().orElseThrow();
        objActor.append(index(objId.actor()));
        objCounter.append(objId.counter());
      }
      if (op.key() instanceof Key.Elem elem) {
        Optional<OpId> element = elem.elemId().opId();
        if (element.isPresent()) {
          keyActor.append(index(element.get().actor()));
          keyCounter.append(element.get().counter());
        } else {
          keyActor.appendNull();
          keyCounter.append(0);
        }
        keyString.appendNull();
      } else {
        keyActor.appendNull();
        keyCounter.appendNull();
        keyString.append(((Key.Prop) op.key()).name());
      }
      idActor.append(index(op.id().actor()));
      idCounter.append(op.id().counter());
      insert.append(op.insert());
      action.append(op.action().code());
      values.append(op.value());
      List<OpId> succ = op.succ();
      succGroup.append(succ.size());
      for (int s = 0, m = succ.size(); s < m; s++) {
        OpId successor = succ.get(s);
        succActor.append(index(successor.actor()));
        succCounter.append(successor.counter());
      }
      expand.append(op.expand());
      if (op.markName().isPresent()) {
        markName.append(op.markName().get());
      } else {
        markName.appendNull();
      }
    }
    objActor.finish();
    objCounter.finish();
    keyActor.finish();
    keyCounter.finish();
    keyString.finish();
    idActor.finish();
    idCounter.finish();
    insert.finish();
    action.finish();
    values.finish();
    succGroup.finish();
    succActor.finish();
    succCounter.finish();
    expand.finish();
    markName.finish();
    column(OpColumns.OBJ_ACTOR, objActorOut);
    column(OpColumns.OBJ_COUNTER, objCounterOut);
    column(OpColumns.KEY_ACTOR, keyActorOut);
    column(OpColumns.KEY_COUNTER, keyCounterOut);
    column(OpColumns.KEY_STRING, keyStringOut);
    column(OpColumns.ID_ACTOR, idActorOut);
    column(OpColumns.ID_COUNTER, idCounterOut);
    column(OpColumns.INSERT_FLAG, insertOut);
    column(OpColumns.ACTION_CODE, actionOut);
    column(OpColumns.VALUE_METADATA, valueMetaOut);
    column(OpColumns.VALUE_RAW, values.raw());
    column(OpColumns.SUCC_GROUP, succGroupOut);
    column(OpColumns.SUCC_ACTOR, succActorOut);
    column(OpColumns.SUCC_COUNTER, succCounterOut);
    if (expand.anyTrue()) {
      column(OpColumns.EXPAND_FLAG, expandOut);
    }
    column(OpColumns.MARK_NAME_STRING, markNameOut);
  }

  private void column(dev.converge.core.internal.codec.ColumnSpec spec, ByteWriter bytes) {
    data.writeBytes(bytes.array(), 0, bytes.size());
    end(spec);
  }
}
