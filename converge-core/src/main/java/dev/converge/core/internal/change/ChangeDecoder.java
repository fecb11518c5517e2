package dev.converge.core.internal.change;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ColumnMetadata;
import dev.converge.core.internal.codec.RawColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses the body of a type-1 change chunk (compat §2.7) into a {@link Change}, refusing what
 * JavaScript Automerge 3.5 refuses: lengths past the bytes present, columns out of order or badly
 * grouped, compressed columns, startOp 0 or past 32 bits, and whatever {@link ChangeOpReader}
 * refuses in the ops. Columns of unknown id are skipped; the change keeps its original bytes, so
 * they survive. Stateless.
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
    List<ChangeOp> ops = ChangeOpReader.read(chunk, dataStart, columns, actors, startOp, opsMax);
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
}
