package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.change.OpColumns;
import dev.converge.core.internal.codec.DeltaDecoder;
import dev.converge.core.internal.codec.LongRleDecoder;
import dev.converge.core.internal.codec.RleRows;
import dev.converge.core.internal.codec.StringRleDecoder;
import dev.converge.core.internal.codec.ValueDecoder;
import java.util.List;

/** Reads a document's change columns row by row into {@link DocChanges}. */
final class DocChangeReader {
  private static final byte[] NO_BYTES = new byte[0];

  private final List<ActorId> actors;
  private final DocumentChunk.DecodeOptions options;
  private final Inflation.Columns columns;
  private final LongRleDecoder actor;
  private final DeltaDecoder seq;
  private final DeltaDecoder maxOp;
  private final DeltaDecoder time;
  private final StringRleDecoder message;
  private final LongRleDecoder depsGroup;
  private final DeltaDecoder depsIndex;
  private final ValueDecoder extra;

  DocChangeReader(
      Inflation.Columns columns, List<ActorId> actors, DocumentChunk.DecodeOptions options) {
    boolean strict = options.strictCanonical();
    this.actors = actors;
    this.options = options;
    this.columns = columns;
    actor =
        new LongRleDecoder(
            columns.reader(DocChangeColumns.ACTOR), "change actor", false, strict, false);
    seq = new DeltaDecoder(columns.reader(DocChangeColumns.SEQ), "change seq", strict, false);
    maxOp =
        new DeltaDecoder(columns.reader(DocChangeColumns.MAX_OP), "change maxOp", strict, false);
    time = new DeltaDecoder(columns.reader(DocChangeColumns.TIME), "change time", strict, false);
    message =
        new StringRleDecoder(columns.reader(DocChangeColumns.MESSAGE), "change message", strict);
    depsGroup =
        new LongRleDecoder(
            columns.reader(DocChangeColumns.DEPS_GROUP), "change deps count", false, strict, false);
    depsIndex =
        new DeltaDecoder(
            columns.reader(DocChangeColumns.DEPS_INDEX), "change dep index", strict, false);
    extra =
        new ValueDecoder(
            columns.reader(DocChangeColumns.EXTRA_METADATA),
            columns.reader(DocChangeColumns.EXTRA_RAW),
            "change extra bytes",
            strict);
  }

  DocChanges readAll() {
    int cap = Math.min(options.rowsMax(), DocOpReader.PRESIZE_CAP);
    DocChanges changes =
        new DocChanges(
            actors,
            RleRows.count(columns.reader(DocChangeColumns.ACTOR), cap),
            RleRows.sum(columns.reader(DocChangeColumns.DEPS_GROUP), cap));
    boolean hasMessage = columns.has(DocChangeColumns.MESSAGE);
    boolean hasDeps = columns.has(DocChangeColumns.DEPS_GROUP);
    boolean hasExtra = columns.has(DocChangeColumns.EXTRA_METADATA);
    while (!actor.isDone()) {
      int row = changes.size();
      if (row >= options.rowsMax()) {
        throw new LimitExceededException(
            "document has more than " + options.rowsMax() + " changes");
      }
      long actorIndex = actor.nextValue();
      if (actorIndex < 0 || actorIndex >= actors.size()) {
        throw new CorruptDataException(
            "change row "
                + row
                + " names actor "
                + Long.toUnsignedString(actorIndex)
                + " of "
                + actors.size());
      }
      long changeSeq = seq.nextValue();
      long changeMaxOp = maxOp.nextValue();
      if (changeMaxOp > OpColumns.COUNTER_MAX) {
        throw new CorruptDataException(
            "counter too large: change row " + row + " has maxOp " + changeMaxOp);
      }
      if (changeSeq < 1 || changeMaxOp < 0) {
        throw new CorruptDataException(
            "change row " + row + " has seq " + changeSeq + " and maxOp " + changeMaxOp);
      }
      long changeTime = time.nextValue();
      String text = hasMessage && message.next() ? message.value() : null;
      changes.add((int) actorIndex, changeSeq, changeMaxOp, changeTime, text, NO_BYTES);
      readDeps(changes, row, hasDeps);
      if (hasExtra) {
        ScalarValue value = extra.next();
        if (!(value instanceof ScalarValue.Bytes bytes)) {
          throw new CorruptDataException(
              "change row " + row + " has extra bytes of type " + value.typeCode() + ", not bytes");
        }
        if (bytes.length() > 0) {
          changes.setExtraBytes(row, bytes.value());
        }
      }
    }
    seq.expectDone();
    maxOp.expectDone();
    time.expectDone();
    if (hasMessage) {
      message.expectDone();
    }
    depsGroup.expectDone();
    depsIndex.expectDone();
    extra.expectDone();
    return changes;
  }

  private void readDeps(DocChanges changes, int row, boolean hasDeps) {
    if (!hasDeps) {
      return;
    }
    long count = depsGroup.nextValue();
    if (count < 0 || count > row) {
      throw new CorruptDataException(
          "change row "
              + row
              + " has "
              + Long.toUnsignedString(count)
              + " deps but only "
              + row
              + " earlier changes");
    }
    for (long i = 0; i < count; i++) {
      long dep = depsIndex.nextValue();
      if (dep < 0 || dep >= row) {
        throw new CorruptDataException(
            "change row " + row + " depends on row " + dep + ", which is not an earlier change");
      }
      changes.addDep((int) dep);
    }
  }
}
