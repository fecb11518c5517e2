package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ScalarValue;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.core.internal.change.OpColumns;
import dev.converge.core.internal.codec.BooleanDecoder;
import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.DeltaDecoder;
import dev.converge.core.internal.codec.LongRleDecoder;
import dev.converge.core.internal.codec.RleRows;
import dev.converge.core.internal.codec.StringRleDecoder;
import dev.converge.core.internal.codec.ValueDecoder;
import java.util.List;

/**
 * Reads a document's op columns row by row into {@link DocOp}s, with the same checks as change ops
 * (actor indexes in range, counters 1..u32, known actions, numeric increments) plus the op id and
 * successor columns.
 */
final class DocOpReader {
  private final List<ActorId> actors;
  private final DocumentChunk.DecodeOptions options;
  private final Inflation.Columns columns;
  private final LongRleDecoder objActor;
  private final LongRleDecoder objCounter;
  private final LongRleDecoder keyActor;
  private final DeltaDecoder keyCounter;
  private final StringRleDecoder keyString;
  private final LongRleDecoder idActor;
  private final DeltaDecoder idCounter;
  private final BooleanDecoder insert;
  private final LongRleDecoder action;
  private final ValueDecoder value;
  private final LongRleDecoder succGroup;
  private final LongRleDecoder succActor;
  private final DeltaDecoder succCounter;
  private final BooleanDecoder expand;
  private final StringRleDecoder markName;
  private long successorsRead;
  private int row;

  DocOpReader(
      Inflation.Columns columns, List<ActorId> actors, DocumentChunk.DecodeOptions options) {
    boolean strict = options.strictCanonical();
    this.actors = actors;
    this.options = options;
    this.columns = columns;
    objActor =
        LongRleDecoder.actorIndexes(columns.reader(OpColumns.OBJ_ACTOR), "obj actor", strict, true);
    objCounter =
        new LongRleDecoder(
            columns.reader(OpColumns.OBJ_COUNTER), "obj counter", false, strict, true);
    keyActor =
        LongRleDecoder.actorIndexes(columns.reader(OpColumns.KEY_ACTOR), "key actor", strict, true);
    keyCounter =
        new DeltaDecoder(columns.reader(OpColumns.KEY_COUNTER), "key counter", strict, true);
    keyString = new StringRleDecoder(columns.reader(OpColumns.KEY_STRING), "key string", strict);
    idActor =
        LongRleDecoder.actorIndexes(columns.reader(OpColumns.ID_ACTOR), "id actor", strict, false);
    idCounter = new DeltaDecoder(columns.reader(OpColumns.ID_COUNTER), "id counter", strict, false);
    insert = new BooleanDecoder(columns.reader(OpColumns.INSERT_FLAG), "insert", strict);
    action =
        new LongRleDecoder(columns.reader(OpColumns.ACTION_CODE), "action", false, strict, false);
    value =
        new ValueDecoder(
            columns.reader(OpColumns.VALUE_METADATA),
            columns.reader(OpColumns.VALUE_RAW),
            "value",
            strict);
    succGroup =
        new LongRleDecoder(
            columns.reader(OpColumns.SUCC_GROUP), "succ count", false, strict, false);
    succActor =
        LongRleDecoder.actorIndexes(
            columns.reader(OpColumns.SUCC_ACTOR), "succ actor", strict, false);
    succCounter =
        new DeltaDecoder(columns.reader(OpColumns.SUCC_COUNTER), "succ counter", strict, false);
    expand = new BooleanDecoder(columns.reader(OpColumns.EXPAND_FLAG), "expand", strict);
    markName =
        new StringRleDecoder(columns.reader(OpColumns.MARK_NAME_STRING), "mark name", strict);
  }

  /**
   * The most rows the columns are made for ahead of decoding: a small chunk can claim many rows in
   * one run, and beyond this they grow as rows really arrive.
   */
  static final int PRESIZE_CAP = 1 << 20;

  DocOps readAll() {
    int cap = Math.min(options.rowsMax(), PRESIZE_CAP);
    DocOps ops =
        new DocOps(
            actors,
            RleRows.count(columns.reader(OpColumns.ACTION_CODE), cap),
            RleRows.sum(columns.reader(OpColumns.SUCC_GROUP), cap));
    boolean[] present = {
      columns.has(OpColumns.OBJ_ACTOR),
      columns.has(OpColumns.OBJ_COUNTER),
      columns.has(OpColumns.KEY_ACTOR),
      columns.has(OpColumns.KEY_COUNTER),
      columns.has(OpColumns.KEY_STRING),
      columns.has(OpColumns.INSERT_FLAG),
      columns.has(OpColumns.VALUE_METADATA),
      columns.has(OpColumns.SUCC_GROUP),
      columns.has(OpColumns.EXPAND_FLAG),
      columns.has(OpColumns.MARK_NAME_STRING)
    };
    if (!action.isDone()) {
      // As JavaScript Automerge: these two columns have no default for a document's ops.
      requirePresent(OpColumns.VALUE_METADATA, "value metadata");
      requirePresent(OpColumns.SUCC_GROUP, "succ count");
    }
    while (!action.isDone()) {
      if (row >= options.rowsMax()) {
        throw new LimitExceededException("document has more than " + options.rowsMax() + " ops");
      }
      ops.addRow();
      readOp(ops, present);
      row++;
    }
    objActor.expectDone();
    objCounter.expectDone();
    keyActor.expectDone();
    keyCounter.expectDone();
    keyString.expectDone();
    idActor.expectDone();
    idCounter.expectDone();
    insert.expectDone();
    value.expectDone();
    succGroup.expectDone();
    succActor.expectDone();
    succCounter.expectDone();
    expand.expectDone();
    markName.expectDone();
    return ops;
  }

  private void readOp(DocOps ops, boolean[] present) {
    readObj(ops, present[0], present[1]);
    readKey(ops, present[2], present[3], present[4]);
    int actor = actorIndex(idActor.nextValue(), "id");
    long counter = counter(idCounter.nextValue(), "id");
    boolean isInsert = present[5] && insert.next();
    long code = action.nextValue();
    if (code < 0 || code > 7) {
      throw new UnsupportedFormatException(
          "unrecognized action " + Long.toUnsignedString(code) + " at op " + row);
    }
    Action opAction = Action.fromCode(code);
    ScalarValue opValue = present[6] ? value.next() : ScalarValue.NULL;
    if (opAction == Action.INCREMENT
        && !(opValue instanceof ScalarValue.Int || opValue instanceof ScalarValue.Uint)) {
      throw new CorruptDataException(
          "increment at op " + row + " has non-numeric value " + opValue);
    }
    if (present[7]) {
      readSucc(ops);
    }
    boolean isExpand = present[8] && expand.next();
    String name = present[9] && markName.next() ? markName.value() : null;
    ops.setOp(row, actor, counter, isInsert, opAction, opValue, isExpand, name);
  }

  private void readObj(DocOps ops, boolean actorPresent, boolean counterPresent) {
    boolean hasActor = actorPresent && objActor.next();
    boolean hasCounter = counterPresent && objCounter.next();
    if (hasActor != hasCounter) {
      throw new CorruptDataException("obj at op " + row + " has only one of actor and counter");
    }
    if (hasActor) {
      ops.setObj(row, actorIndex(objActor.value(), "obj"), counter(objCounter.value(), "obj"));
    } else {
      ops.setObj(row, -1, 0);
    }
  }

  private void readKey(
      DocOps ops, boolean actorPresent, boolean counterPresent, boolean stringPresent) {
    boolean hasActor = actorPresent && keyActor.next();
    boolean hasCounter = counterPresent && keyCounter.next();
    boolean hasString = stringPresent && keyString.next();
    if (hasString) {
      if (hasActor || hasCounter) {
        throw new CorruptDataException("key at op " + row + " is both a property and an element");
      }
      ops.setPropKey(row, keyString.value());
      return;
    }
    if (!hasCounter) {
      throw new CorruptDataException("key at op " + row + " has neither a property nor an element");
    }
    if (!hasActor) {
      if (keyCounter.value() != 0) {
        throw new CorruptDataException("key element at op " + row + " has a counter but no actor");
      }
      ops.setElemKey(row, -1, 0);
      return;
    }
    ops.setElemKey(row, actorIndex(keyActor.value(), "key"), counter(keyCounter.value(), "key"));
  }

  private void requirePresent(ColumnSpec spec, String what) {
    if (!columns.has(spec)) {
      throw new CorruptDataException(
          "document ops have no "
              + what
              + " column ("
              + spec
              + "); expected one with a row per op");
    }
  }

  private void readSucc(DocOps ops) {
    long count = succGroup.nextValue();
    if (count == 0) {
      return;
    }
    if (count < 0 || count > options.rowsMax() - successorsRead) {
      throw new LimitExceededException(
          "succ count " + Long.toUnsignedString(count) + " at op " + row + " is past the limit");
    }
    successorsRead += count;
    for (long i = 0; i < count; i++) {
      long actor = succActor.nextValue();
      long counter = counter(succCounter.nextValue(), "succ");
      if (actor < 0 || actor >= actors.size()) {
        // JavaScript reads a successor of an actor the chunk does not list as an op no change
        // holds: it still hides the op. The largest counter of the first actor stands in for it,
        // an ID no change reaches in practice, and a save writes it back as a valid successor.
        ops.addSuccessor(0, OpColumns.COUNTER_MAX);
      } else {
        ops.addSuccessor((int) actor, counter);
      }
    }
  }

  /** An actor index (its low 32 bits, as the column decoders give it) that names a listed actor. */
  private int actorIndex(long actorIndex, String what) {
    if (actorIndex < 0 || actorIndex >= actors.size()) {
      throw new CorruptDataException(
          what
              + " actor index "
              + Long.toUnsignedString(actorIndex)
              + " at op "
              + row
              + " is out of range ("
              + actors.size()
              + " actors)");
    }
    return (int) actorIndex;
  }

  private long counter(long counter, String what) {
    if (counter < 1 || counter > OpColumns.COUNTER_MAX) {
      throw new CorruptDataException(
          (counter < 1 ? what + " counter must be at least 1" : "counter too large")
              + ": "
              + counter
              + " at op "
              + row);
    }
    return counter;
  }
}
