package dev.converge.core.internal.change;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.core.internal.codec.BooleanDecoder;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ColumnMetadata;
import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.DeltaDecoder;
import dev.converge.core.internal.codec.LongRleDecoder;
import dev.converge.core.internal.codec.RawColumn;
import dev.converge.core.internal.codec.StringRleDecoder;
import dev.converge.core.internal.codec.ValueDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Parses the body of a type-1 change chunk (format §2.7) into a {@link Change}, checking every
 * field: lengths against the bytes present, column layout, no compressed columns, counts of every
 * column equal to the op count, actor indexes in range, counters within u32, startOp at least 1,
 * known actions only, increments with numeric values. Columns of unknown id are skipped; the change
 * keeps its original bytes, so they survive. Stateless.
 */
final class ChangeDecoder {
  private ChangeDecoder() {}

  /**
   * @param chunk the whole type-1 chunk (header included), exactly as hashed
   * @param hash its SHA-256 hash
   */
  static Change decode(byte[] chunk, int bodyOffset, byte[] hash, int opsMax) {
    ByteReader reader = new ByteReader(chunk, bodyOffset, chunk.length - bodyOffset);
    int depCount = reader.readCount("deps count", reader.remaining() / ChangeHash.LENGTH);
    List<ChangeHash> deps = new ArrayList<>(depCount);
    for (int i = 0; i < depCount; i++) {
      int at = reader.position();
      reader.skip(ChangeHash.LENGTH, "dep " + i);
      deps.add(ChangeHash.of(chunk, at));
    }
    ActorId actor = ActorId.of(reader.readBytes(reader.readLength("actor length"), "actor"));
    int seqAt = reader.position();
    long seq = reader.readUleb("seq");
    if (seq < 0) {
      throw new CorruptDataException(
          "seq " + Long.toUnsignedString(seq) + " too large at byte " + seqAt);
    }
    int startOpAt = reader.position();
    long startOp = reader.readUleb("startOp");
    if (startOp == 0) {
      throw new CorruptDataException("startOp must be at least 1, found 0 at byte " + startOpAt);
    }
    if (startOp < 0 || startOp > OpColumns.COUNTER_MAX) {
      throw new CorruptDataException(
          "counter too large: startOp " + Long.toUnsignedString(startOp) + " at byte " + startOpAt);
    }
    long time = reader.readSleb("time");
    String message = reader.readUtf8(reader.readLength("message length"), "message");
    int otherCount = reader.readCount("other actors count", reader.remaining());
    ActorId[] actors = new ActorId[otherCount + 1];
    actors[0] = actor;
    for (int i = 1; i <= otherCount; i++) {
      actors[i] =
          ActorId.of(reader.readBytes(reader.readLength("other actor " + i + " length"), "actor"));
    }
    int metadataAt = reader.position();
    List<RawColumn> columns = ColumnMetadata.read(reader, "change op columns");
    for (RawColumn column : columns) {
      if (column.spec().deflate()) {
        throw new CorruptDataException(
            "change contained compressed columns: "
                + column.spec()
                + " (metadata at byte "
                + metadataAt
                + ")");
      }
    }
    int dataStart = reader.position();
    reader.skip(ColumnMetadata.totalLength(columns), "change op column data");
    byte[] extraBytes = reader.readBytes(reader.remaining(), "extra bytes");
    List<ChangeOp> ops = new OpReader(chunk, dataStart, columns, actors).readAll(startOp, opsMax);
    return new Change(
        actor,
        seq,
        startOp,
        time,
        message.isEmpty() ? Optional.empty() : Optional.of(message),
        deps,
        ops,
        extraBytes,
        ChangeHash.of(hash),
        chunk);
  }

  /** Reads the op columns row by row. */
  private static final class OpReader {
    private final ActorId[] actors;
    private final LongRleDecoder objActor;
    private final LongRleDecoder objCounter;
    private final LongRleDecoder keyActor;
    private final DeltaDecoder keyCounter;
    private final StringRleDecoder keyString;
    private final BooleanDecoder insert;
    private final LongRleDecoder action;
    private final ValueDecoder value;
    private final LongRleDecoder predGroup;
    private final LongRleDecoder predActor;
    private final DeltaDecoder predCounter;
    private final BooleanDecoder expand;
    private final StringRleDecoder markName;
    private final boolean[] present = new boolean[14];
    private long row;

    OpReader(byte[] data, int dataStart, List<RawColumn> columns, ActorId[] actors) {
      this.actors = actors;
      objActor =
          LongRleDecoder.unsigned(
              open(data, dataStart, columns, OpColumns.OBJ_ACTOR, 0), "obj actor");
      objCounter =
          LongRleDecoder.unsigned(
              open(data, dataStart, columns, OpColumns.OBJ_COUNTER, 1), "obj counter");
      keyActor =
          LongRleDecoder.unsigned(
              open(data, dataStart, columns, OpColumns.KEY_ACTOR, 2), "key actor");
      keyCounter =
          new DeltaDecoder(
              open(data, dataStart, columns, OpColumns.KEY_COUNTER, 3), "key counter", false, true);
      keyString =
          new StringRleDecoder(
              open(data, dataStart, columns, OpColumns.KEY_STRING, 4), "key string", false);
      insert =
          new BooleanDecoder(
              open(data, dataStart, columns, OpColumns.INSERT_FLAG, 5), "insert", false);
      action =
          LongRleDecoder.unsigned(
              open(data, dataStart, columns, OpColumns.ACTION_CODE, 6), "action");
      value =
          new ValueDecoder(
              open(data, dataStart, columns, OpColumns.VALUE_METADATA, 7),
              open(data, dataStart, columns, OpColumns.VALUE_RAW, 8),
              "value",
              false);
      predGroup =
          LongRleDecoder.unsigned(
              open(data, dataStart, columns, OpColumns.PRED_GROUP, 9), "pred count");
      predActor =
          LongRleDecoder.unsigned(
              open(data, dataStart, columns, OpColumns.PRED_ACTOR, 10), "pred actor");
      predCounter =
          new DeltaDecoder(
              open(data, dataStart, columns, OpColumns.PRED_COUNTER, 11),
              "pred counter",
              false,
              true);
      expand =
          new BooleanDecoder(
              open(data, dataStart, columns, OpColumns.EXPAND_FLAG, 12), "expand", false);
      markName =
          new StringRleDecoder(
              open(data, dataStart, columns, OpColumns.MARK_NAME_STRING, 13), "mark name", false);
    }

    private ByteReader open(
        byte[] data, int dataStart, List<RawColumn> columns, ColumnSpec spec, int slot) {
      for (RawColumn column : columns) {
        if (column.spec().equals(spec)) {
          present[slot] = column.length() > 0;
          return new ByteReader(data, dataStart + column.offset(), column.length());
        }
      }
      return new ByteReader(data, dataStart, 0);
    }

    List<ChangeOp> readAll(long startOp, int opsMax) {
      List<ChangeOp> ops = new ArrayList<>(Math.min(16, opsMax));
      while (!action.isDone()) {
        if (ops.size() >= opsMax) {
          throw new LimitExceededException("change has more than " + opsMax + " ops");
        }
        if (startOp + ops.size() > OpColumns.COUNTER_MAX) {
          throw new CorruptDataException(
              "counter too large: op " + ops.size() + " of a change starting at " + startOp);
        }
        ops.add(readOp());
        row++;
      }
      if (present[0]) {
        objActor.expectDone();
      }
      if (present[1]) {
        objCounter.expectDone();
      }
      if (present[2]) {
        keyActor.expectDone();
      }
      if (present[3]) {
        keyCounter.expectDone();
      }
      if (present[4]) {
        keyString.expectDone();
      }
      if (present[5]) {
        insert.expectDone();
      }
      value.expectDone();
      if (present[9]) {
        predGroup.expectDone();
      }
      predActor.expectDone();
      predCounter.expectDone();
      if (present[12]) {
        expand.expectDone();
      }
      if (present[13]) {
        markName.expectDone();
      }
      return ops;
    }

    private ChangeOp readOp() {
      ObjId obj = readObj();
      Key key = readKey();
      boolean isInsert = present[5] && insert.next();
      long code = action.nextValue();
      if (code < 0 || code > 7) {
        throw new UnsupportedFormatException(
            "unrecognized action " + Long.toUnsignedString(code) + " at op " + row);
      }
      Action opAction = Action.fromCode(code);
      ScalarValue opValue = present[7] ? value.next() : ScalarValue.NULL;
      if (opAction == Action.INCREMENT
          && !(opValue instanceof ScalarValue.Int || opValue instanceof ScalarValue.Uint)) {
        throw new CorruptDataException(
            "increment at op " + row + " has non-numeric value " + opValue);
      }
      List<OpId> pred = readPred();
      boolean isExpand = present[12] && expand.next();
      Optional<String> name = Optional.empty();
      if (present[13] && markName.next()) {
        name = Optional.of(markName.value());
      }
      return new ChangeOp(obj, key, isInsert, opAction, opValue, pred, isExpand, name);
    }

    private ObjId readObj() {
      boolean hasActor = present[0] && objActor.next();
      boolean hasCounter = present[1] && objCounter.next();
      if (hasActor != hasCounter) {
        throw new CorruptDataException(
            "obj at op "
                + row
                + " has "
                + (hasActor ? "an actor but no counter" : "a counter but no actor"));
      }
      if (!hasActor) {
        return ObjId.ROOT;
      }
      return ObjId.of(opId(objActor.value(), objCounter.value(), "obj"));
    }

    private Key readKey() {
      boolean hasActor = present[2] && keyActor.next();
      boolean hasCounter = present[3] && keyCounter.next();
      boolean hasString = present[4] && keyString.next();
      if (hasString) {
        if (hasActor || hasCounter) {
          throw new CorruptDataException("key at op " + row + " is both a property and an element");
        }
        return Key.prop(keyString.value());
      }
      if (!hasCounter) {
        throw new CorruptDataException(
            "key at op " + row + " has neither a property nor an element");
      }
      long counter = keyCounter.value();
      if (!hasActor) {
        if (counter != 0) {
          throw new CorruptDataException(
              "key element at op " + row + " has a counter but no actor");
        }
        return Key.elem(ElemId.HEAD);
      }
      return Key.elem(ElemId.of(opId(keyActor.value(), counter, "key")));
    }

    private List<OpId> readPred() {
      if (!present[9]) {
        return List.of();
      }
      long count = predGroup.nextValue();
      if (count == 0) {
        return List.of();
      }
      if (count < 0 || count > Integer.MAX_VALUE) {
        throw new CorruptDataException(
            "pred count " + Long.toUnsignedString(count) + " at op " + row);
      }
      OpId[] pred = new OpId[(int) Math.min(count, 16)];
      int size = 0;
      for (long i = 0; i < count; i++) {
        OpId id = opId(predActor.nextValue(), predCounter.nextValue(), "pred");
        if (size == pred.length) {
          pred = Arrays.copyOf(pred, size * 2);
        }
        pred[size++] = id;
      }
      return Arrays.asList(pred).subList(0, size);
    }

    private OpId opId(long actorIndex, long counter, String what) {
      if (actorIndex < 0 || actorIndex >= actors.length) {
        throw new CorruptDataException(
            what
                + " actor index "
                + Long.toUnsignedString(actorIndex)
                + " at op "
                + row
                + " is out of range ("
                + actors.length
                + " actors)");
      }
      if (counter < 1 || counter > OpColumns.COUNTER_MAX) {
        throw new CorruptDataException(
            (counter < 1 ? what + " counter must be at least 1" : "counter too large")
                + ": "
                + counter
                + " at op "
                + row);
      }
      return new OpId(counter, actors[(int) actorIndex]);
    }
  }
}
