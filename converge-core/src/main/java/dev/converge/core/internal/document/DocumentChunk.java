package dev.converge.core.internal.document;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.ChunkType;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.codec.ColumnLayout;
import dev.converge.core.internal.codec.ColumnMetadata;
import dev.converge.core.internal.codec.RawColumn;
import dev.converge.core.internal.concurrent.SideTask;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes document chunks (chunk type 0, compat §2.8).
 *
 * <p>Body layout: the actors (uLEB count, then each as uLEB length and bytes, sorted), the heads
 * (uLEB count, then 32-byte hashes, sorted), the change column metadata, the op column metadata,
 * the change column data, the op column data, and optionally the heads index (one uLEB change row
 * per head, which readers skip). Columns of 256 bytes or more may be DEFLATE-compressed one by one
 * (spec bit 3); the chunk checksum then covers the compressed body.
 *
 * <p>API:
 *
 * <ul>
 *   <li>{@link #decode(byte[])} / {@link #decode(Chunk, DecodeOptions)} → {@link DecodedDocument}:
 *       actors, heads, change rows ({@link DocChange}) and ops ({@link DocOp}) in stored order;
 *       then {@link DecodedDocument#reconstructChanges()} rebuilds the changes and checks heads.
 *   <li>{@link #encode(DecodedDocument, boolean)}: the engine passes sorted actors, sorted heads
 *       with their rows, change rows in change-graph order (dep rows ordered by dep hash, the order
 *       a rebuilt change lists them in) and ops already in document order (§2.9); the encoder
 *       writes canonical columns and, if asked, compresses those of 256 bytes or more.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class DocumentChunk {
  /** Columns this long or longer are compressed when compression is on, as Automerge does. */
  public static final int DEFLATE_MIN_BYTES = 256;

  /**
   * Limits and strictness for decoding.
   *
   * @param strictCanonical reject non-canonical RLE and boolean columns, as JS Automerge does
   * @param inflatedBytesMax the most all compressed columns together may inflate to
   * @param rowsMax the most change rows, op rows or successor entries the chunk may hold
   */
  public record DecodeOptions(boolean strictCanonical, int inflatedBytesMax, int rowsMax) {
    public static final DecodeOptions DEFAULT = new DecodeOptions(false, 1 << 28, 1 << 24);
    public static final DecodeOptions STRICT = new DecodeOptions(true, 1 << 28, 1 << 24);
  }

  private DocumentChunk() {}

  /**
   * Decodes {@code bytes}, which must be exactly one document chunk.
   *
   * @throws CorruptDataException if the bytes are not a valid document chunk
   * @throws UnsupportedFormatException for an unknown chunk type or op action
   * @throws LimitExceededException past the limits of {@link DecodeOptions#DEFAULT}
   */
  public static DecodedDocument decode(byte[] bytes) {
    return decode(Chunks.single(bytes), DecodeOptions.DEFAULT);
  }

  /**
   * Decodes a document chunk found by {@link Chunks}.
   *
   * @throws CorruptDataException if the chunk is not a valid document chunk
   * @throws UnsupportedFormatException for an unknown op action
   * @throws LimitExceededException past the limits in {@code options}
   */
  public static DecodedDocument decode(Chunk chunk, DecodeOptions options) {
    Parsed parsed = parse(chunk, options);
    DocChangeReader changeReader =
        new DocChangeReader(parsed.changeColumns, parsed.actors, options);
    DocOpReader opReader = new DocOpReader(parsed.opColumns, parsed.actors, options);
    // The two column sets are independent: the ops are read on a second core.
    SideTask<DocOps> opsRead = SideTask.start(opReader::readAll);
    DocChanges changes;
    try {
      changes = changeReader.readAll();
    } catch (RuntimeException | Error e) {
      opsRead.awaitQuietly();
      throw e;
    }
    DocOps ops = opsRead.join();
    return new DecodedDocument(parsed.actors, parsed.heads, parsed.headRows, changes, ops);
  }

  /**
   * The stored heads of a document chunk after the checks JavaScript makes of any document chunk
   * before it looks at what the columns hold: checksum, actors, heads, column metadata and layout,
   * compressed columns that inflate, the heads index. A document chunk after the first one of a
   * file is read no further when the document already has all its heads.
   *
   * @throws CorruptDataException if the chunk fails those checks
   * @throws LimitExceededException if its columns inflate past the limit
   */
  public static List<ChangeHash> heads(Chunk chunk, DecodeOptions options) {
    return parse(chunk, options).heads;
  }

  /** A document chunk's fields, and its columns opened (inflated where compressed). */
  private record Parsed(
      List<dev.converge.core.ActorId> actors,
      List<ChangeHash> heads,
      List<Integer> headRows,
      Inflation.Columns changeColumns,
      Inflation.Columns opColumns) {}

  private static Parsed parse(Chunk chunk, DecodeOptions options) {
    if (chunk.type() != ChunkType.DOCUMENT) {
      throw new CorruptDataException(
          "expected a document chunk, found " + chunk.type() + " at byte " + chunk.offset());
    }
    MessageDigest sha256 = newSha256();
    if (!chunk.checksumMatches(chunk.computeHash(sha256))) {
      throw new CorruptDataException("bad checksum in document chunk at byte " + chunk.offset());
    }
    ByteReader reader = new ByteReader(chunk.source(), chunk.bodyOffset(), chunk.bodyLength());
    List<dev.converge.core.ActorId> actors = readActors(reader);
    int headCount = reader.readCount("heads count", reader.remaining() / ChangeHash.LENGTH);
    List<ChangeHash> heads = new ArrayList<>(headCount);
    for (int i = 0; i < headCount; i++) {
      int at = reader.position();
      reader.skip(ChangeHash.LENGTH, "head " + i);
      heads.add(ChangeHash.of(chunk.source(), at));
    }
    List<RawColumn> changeColumns = ColumnMetadata.read(reader, "document change columns");
    List<RawColumn> opColumns = ColumnMetadata.read(reader, "document op columns");
    ColumnLayout.of(changeColumns, "document change columns");
    ColumnLayout.of(opColumns, "document op columns");
    int changeDataStart = reader.position();
    reader.skip(ColumnMetadata.totalLength(changeColumns), "document change column data");
    int opDataStart = reader.position();
    reader.skip(ColumnMetadata.totalLength(opColumns), "document op column data");
    List<Integer> headRows = readHeadsIndex(reader, headCount);
    Inflation inflation = new Inflation(chunk.source(), options.inflatedBytesMax());
    return new Parsed(
        actors,
        heads,
        headRows,
        inflation.open(changeColumns, changeDataStart, "document change columns"),
        inflation.open(opColumns, opDataStart, "document op columns"));
  }

  /**
   * The heads index: one uLEB per head, or nothing (older JavaScript wrote none). JavaScript only
   * checks that it is well formed and that nothing follows it; its rows are not used, and are kept
   * here only to write the chunk back as it was (empty if a row is past {@code int}).
   */
  private static List<Integer> readHeadsIndex(ByteReader reader, int headCount) {
    if (!reader.hasRemaining()) {
      return List.of();
    }
    List<Integer> rows = new ArrayList<>(headCount);
    boolean fits = true;
    for (int i = 0; i < headCount; i++) {
      long row = reader.readUleb("heads index " + i);
      fits &= row >= 0 && row <= Integer.MAX_VALUE;
      rows.add((int) row);
    }
    if (reader.hasRemaining()) {
      throw new CorruptDataException(
          reader.remaining()
              + " bytes left over after the heads index at byte "
              + reader.position());
    }
    return fits ? rows : List.of();
  }

  private static List<dev.converge.core.ActorId> readActors(ByteReader reader) {
    int count = reader.readCount("actors count", reader.remaining());
    List<dev.converge.core.ActorId> actors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = reader.readLength("actor " + i + " length");
      actors.add(dev.converge.core.ActorId.of(reader.readBytes(length, "actor " + i)));
    }
    return actors;
  }

  /**
   * Encodes a document chunk.
   *
   * @param compress whether to DEFLATE columns of {@link #DEFLATE_MIN_BYTES} or more
   * @throws IllegalArgumentException if a change's actor or an op's actor is not in the actor list,
   *     or {@code headRows} is neither empty nor as long as {@code heads}
   */
  public static byte[] encode(DecodedDocument document, boolean compress) {
    if (!document.headRows().isEmpty() && document.headRows().size() != document.heads().size()) {
      throw new IllegalArgumentException(
          document.heads().size() + " heads but " + document.headRows().size() + " head rows");
    }
    // The two column sets are independent: on a large document the changes are written on a
    // second core while this thread writes the ops, as decode reads them.
    boolean split = document.changes().size() + document.ops().size() >= SPLIT_ROWS_MIN;
    SideTask<Written> changesWritten =
        split ? SideTask.start(() -> Written.changes(document, compress)) : null;
    Written ops;
    try {
      ops = Written.ops(document, compress);
    } catch (RuntimeException | Error e) {
      if (changesWritten != null) {
        changesWritten.awaitQuietly();
      }
      throw e;
    }
    Written changes =
        changesWritten != null ? changesWritten.join() : Written.changes(document, compress);
    ByteWriter changeData = changes.data();
    EncodedColumns changeColumns = changes.columns();
    ByteWriter opData = ops.data();
    EncodedColumns opColumns = ops.columns();

    ByteWriter body = new ByteWriter(changeData.size() + opData.size() + 256);
    body.writeUleb(document.actors().size());
    for (dev.converge.core.ActorId actor : document.actors()) {
      body.writeLengthPrefixed(actor.toBytes());
    }
    body.writeUleb(document.heads().size());
    for (ChangeHash head : document.heads()) {
      body.writeBytes(head.toBytes());
    }
    changeColumns.writeMetadata(body);
    opColumns.writeMetadata(body);
    changeColumns.writeData(body, changeData);
    opColumns.writeData(body, opData);
    for (int row : document.headRows()) {
      body.writeUleb(row);
    }
    return frame(body);
  }

  /** Rows (changes and ops) from which {@link #encode} writes the changes on a second core. */
  private static final int SPLIT_ROWS_MIN = 16_384;

  /** One column set as written, compressed if asked. */
  private record Written(ByteWriter data, EncodedColumns columns) {
    static Written changes(DecodedDocument document, boolean compress) {
      ByteWriter data = new ByteWriter(256);
      EncodedColumns columns =
          DocColumnWriter.writeChanges(document.changes(), document.actors(), data);
      return new Written(data, compress ? columns.compressed(data) : columns);
    }

    static Written ops(DecodedDocument document, boolean compress) {
      ByteWriter data = new ByteWriter(1024);
      EncodedColumns columns = DocColumnWriter.writeOps(document.ops(), document.actors(), data);
      return new Written(data, compress ? columns.compressed(data) : columns);
    }
  }

  private static byte[] frame(ByteWriter body) {
    ByteWriter chunk = new ByteWriter(body.size() + 16);
    chunk.writeBytes(new byte[] {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, 0, 0, 0, 0});
    chunk.writeByte(ChunkType.DOCUMENT.code());
    chunk.writeUleb(body.size());
    chunk.writeBytes(body.array(), 0, body.size());
    byte[] bytes = chunk.toByteArray();
    MessageDigest sha256 = newSha256();
    sha256.update(bytes, Chunk.HASHED_FROM, bytes.length - Chunk.HASHED_FROM);
    System.arraycopy(sha256.digest(), 0, bytes, Chunk.MAGIC_LENGTH, Chunk.CHECKSUM_LENGTH);
    return bytes;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
