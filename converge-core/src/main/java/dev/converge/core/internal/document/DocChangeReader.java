package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.internal.change.OpColumns;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.DeltaDecoder;
import dev.converge.core.internal.codec.LongRleDecoder;
import dev.converge.core.internal.codec.RleRows;
import dev.converge.core.internal.codec.StringRleDecoder;
import java.util.List;

/**
 * Reads a document's change columns row by row into {@link DocChanges}, as JavaScript Automerge 3.5
 * does: the actor column sets the number of changes; the actor, seq, maxOp and deps columns may be
 * in any run form (JavaScript reads them with a plain decoder), while the time, message and
 * extra-bytes columns must be canonical and have a row for each change (no time column means every
 * time is 0, no message column no messages); the deps count column may not be left out, and dep
 * rows past the last count are ignored.
 */
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
  private final LongRleDecoder extraMetadata;
  private final ByteReader extraRaw;

  DocChangeReader(
      Inflation.Columns columns, List<ActorId> actors, DocumentChunk.DecodeOptions options) {
    boolean strict = options.strictCanonical();
    this.actors = actors;
    this.options = options;
    this.columns = columns;
    actor =
        new LongRleDecoder(
            columns.reader(DocChangeColumns.ACTOR), "change actor", false, false, false);
    seq = new DeltaDecoder(columns.reader(DocChangeColumns.SEQ), "change seq", false, false);
    maxOp = new DeltaDecoder(columns.reader(DocChangeColumns.MAX_OP), "change maxOp", false, false);
    time = new DeltaDecoder(columns.reader(DocChangeColumns.TIME), "change time", strict, false);
    message =
        new StringRleDecoder(columns.reader(DocChangeColumns.MESSAGE), "change message", strict);
    depsGroup =
        new LongRleDecoder(
            columns.reader(DocChangeColumns.DEPS_GROUP), "change deps count", false, false, false);
    depsIndex =
        new DeltaDecoder(
            columns.reader(DocChangeColumns.DEPS_INDEX), "change dep index", false, false);
    extraMetadata =
        new LongRleDecoder(
            columns.reader(DocChangeColumns.EXTRA_METADATA),
            "change extra bytes metadata",
            false,
            strict,
            false);
    extraRaw = columns.reader(DocChangeColumns.EXTRA_RAW);
  }

  DocChanges readAll() {
    int cap = Math.min(options.rowsMax(), DocOpReader.PRESIZE_CAP);
    DocChanges changes =
        new DocChanges(
            actors,
            RleRows.count(columns.reader(DocChangeColumns.ACTOR), cap),
            RleRows.sum(columns.reader(DocChangeColumns.DEPS_GROUP), cap));
    boolean hasMessage = columns.has(DocChangeColumns.MESSAGE);
    boolean hasTime = columns.has(DocChangeColumns.TIME);
    boolean hasExtra = columns.has(DocChangeColumns.EXTRA_METADATA);
    if (!actor.isDone() && !hasExtra) {
      throw new CorruptDataException("invalid load length: the change extra bytes column is empty");
    }
    if (!actor.isDone() && !columns.has(DocChangeColumns.DEPS_GROUP)) {
      throw new CorruptDataException(
          "invalid column length: the change deps count column is empty");
    }
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
      long changeTime = hasTime ? time.nextValue() : 0;
      String text = hasMessage && message.next() ? message.value() : null;
      changes.add((int) actorIndex, changeSeq, changeMaxOp, changeTime, text, NO_BYTES);
      readDeps(changes, row);
      if (hasExtra) {
        readExtraBytes(changes, row);
      }
    }
    seq.expectDone();
    maxOp.expectDone();
    if (hasTime) {
      time.expectDone();
    }
    if (hasMessage) {
      message.expectDone();
    }
    depsGroup.expectDone();
    extraMetadata.expectDone();
    return changes;
  }

  /**
   * A change's extra bytes: JavaScript takes the length from each metadata word and ignores its
   * type; raw bytes after the last change's are ignored too.
   */
  private void readExtraBytes(DocChanges changes, int row) {
    long length = extraMetadata.nextValue() >>> 4;
    if (length > extraRaw.remaining()) {
      throw new CorruptDataException(
          "change row "
              + row
              + " has "
              + length
              + " extra bytes, past the end of the extra bytes column");
    }
    if (length > 0) {
      changes.setExtraBytes(row, extraRaw.readBytes((int) length, "change extra bytes"));
    }
  }

  private void readDeps(DocChanges changes, int row) {
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
