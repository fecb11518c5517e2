package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import dev.converge.core.internal.change.OpColumns;
import dev.converge.core.internal.codec.BooleanEncoder;
import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.codec.DeltaEncoder;
import dev.converge.core.internal.codec.RleEncoder;
import dev.converge.core.internal.codec.StringRleEncoder;
import dev.converge.core.internal.codec.ValueEncoder;
import java.util.List;
import java.util.Optional;

/**
 * Writes a document's change columns and op columns in canonical form, in spec order, leaving out
 * the columns Automerge leaves out (all-null columns, an all-false expand column, empty raw value
 * columns, empty successor actor and counter columns).
 */
final class DocColumnWriter {
  private final ByteWriter data;
  private final EncodedColumns columns = new EncodedColumns();
  private int start;

  private DocColumnWriter(ByteWriter data) {
    this.data = data;
    this.start = data.size();
  }

  /** Writes {@code changes}, their actors as indexes into {@code actors}. */
  static EncodedColumns writeChanges(
      List<DocChange> changes, List<ActorId> actors, ByteWriter data) {
    DocColumnWriter writer = new DocColumnWriter(data);
    writer.changes(DocChanges.of(changes, actors));
    return writer.columns;
  }

  /** Writes {@code ops}, their actors as indexes into {@code actors}. */
  static EncodedColumns writeOps(List<DocOp> ops, List<ActorId> actors, ByteWriter data) {
    DocColumnWriter writer = new DocColumnWriter(data);
    writer.ops(DocOps.of(ops, actors));
    return writer.columns;
  }

  private void end(dev.converge.core.internal.codec.ColumnSpec spec) {
    start = columns.end(spec, start, data);
  }

  /** Writes the change columns in one pass over the changes, as {@link #ops} does for ops. */
  private void changes(DocChanges changes) {
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
      actor.append(changes.actorIndex(i));
      seq.append(changes.seq(i));
      maxOp.append(changes.maxOp(i));
      time.append(changes.time(i));
      Optional<String> text = changes.message(i);
      if (text.isPresent()) {
        message.append(text.get());
      } else {
        message.appendNull();
      }
      int depCount = changes.depCount(i);
      depsGroup.append(depCount);
      for (int d = 0; d < depCount; d++) {
        depsIndex.append(changes.depRow(i, d));
      }
      extra.appendEncoded(7, changes.extraBytes(i));
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
  private void ops(DocOps ops) {
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
      if (ops.objActor(i) < 0) {
        objActor.appendNull();
        objCounter.appendNull();
      } else {
        objActor.append(ops.objActor(i));
        objCounter.append(ops.objCounter(i));
      }
      String prop = ops.keyProp(i);
      if (prop == null) {
        if (ops.keyActor(i) >= 0) {
          keyActor.append(ops.keyActor(i));
          keyCounter.append(ops.keyCounter(i));
        } else {
          keyActor.appendNull();
          keyCounter.append(0);
        }
        keyString.appendNull();
      } else {
        keyActor.appendNull();
        keyCounter.appendNull();
        keyString.append(prop);
      }
      idActor.append(ops.idActor(i));
      idCounter.append(ops.idCounter(i));
      insert.append(ops.insert(i));
      action.append(ops.action(i).code());
      values.append(ops.value(i));
      succGroup.append(ops.succTo(i) - ops.succFrom(i));
      for (int s = ops.succFrom(i), end = ops.succTo(i); s < end; s++) {
        succActor.append(ops.succActor(s));
        succCounter.append(ops.succCounter(s));
      }
      expand.append(ops.expand(i));
      String mark = ops.markName(i);
      if (mark != null) {
        markName.append(mark);
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
