package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A document chunk (type 0) or change chunk (type 1) taken apart into fields and {@link Column}s,
 * for tests that make invalid files by editing valid ones: change a field or a cell, then {@link
 * #encode} writes the chunk with a correct checksum. Only uncompressed columns are taken apart.
 */
final class EditableChunk {
  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};

  final int type;
  final List<byte[]> actors = new ArrayList<>();
  final List<byte[]> hashes = new ArrayList<>();
  final List<Column> changeColumns = new ArrayList<>();
  final List<Column> opColumns = new ArrayList<>();

  /** Document: the heads index after the columns. Change: the extra bytes after the columns. */
  byte[] tail = new byte[0];

  // Change chunks only: the author is actors.get(0), the other actors follow.
  long seq;
  long startOp;
  long time;
  byte[] message = new byte[0];

  private EditableChunk(int type) {
    this.type = type;
  }

  /** The chunk at the start of {@code bytes}, if it is a document or change chunk that parses. */
  static Optional<EditableChunk> parse(byte[] bytes, int offset) {
    ChunkSurgery.Header header = ChunkSurgery.Header.parse(bytes, offset);
    if (header == null || header.type() > 1) {
      return Optional.empty();
    }
    try {
      EditableChunk chunk = new EditableChunk(header.type());
      Leb.Reader reader = new Leb.Reader(bytes, header.bodyOffset(), header.end());
      if (chunk.type == 0) {
        chunk.parseDocument(reader);
      } else {
        chunk.parseChange(reader);
      }
      return Optional.of(chunk);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void parseDocument(Leb.Reader reader) {
    readActors(reader);
    readHashes(reader);
    List<long[]> changeMeta = readMetadata(reader);
    List<long[]> opMeta = readMetadata(reader);
    readColumns(reader, changeMeta, changeColumns);
    readColumns(reader, opMeta, opColumns);
    tail = reader.bytes(reader.remaining());
  }

  private void parseChange(Leb.Reader reader) {
    readHashes(reader);
    actors.add(reader.bytes(reader.unsigned()));
    seq = reader.unsigned();
    startOp = reader.unsigned();
    time = reader.signed();
    message = reader.bytes(reader.unsigned());
    readActors(reader);
    readColumns(reader, readMetadata(reader), opColumns);
    tail = reader.bytes(reader.remaining());
  }

  private void readActors(Leb.Reader reader) {
    long count = reader.unsigned();
    for (long i = 0; i < count; i++) {
      actors.add(reader.bytes(reader.unsigned()));
    }
  }

  private void readHashes(Leb.Reader reader) {
    long count = reader.unsigned();
    for (long i = 0; i < count; i++) {
      hashes.add(reader.bytes(32));
    }
  }

  private static List<long[]> readMetadata(Leb.Reader reader) {
    long count = reader.unsigned();
    if (count > reader.remaining()) {
      throw new IllegalArgumentException("column count " + count);
    }
    List<long[]> metadata = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      metadata.add(new long[] {reader.unsigned(), reader.unsigned()});
    }
    return metadata;
  }

  private static void readColumns(Leb.Reader reader, List<long[]> metadata, List<Column> into) {
    for (long[] column : metadata) {
      byte[] raw = reader.bytes(column[1]);
      Column parsed = new Column(column[0], raw);
      if ((column[0] & 8) != 0) {
        parsed.cells = null;
      }
      into.add(parsed);
    }
  }

  /** The column with {@code spec} among {@code columns}. */
  static Optional<Column> find(List<Column> columns, long spec) {
    return columns.stream().filter(c -> c.spec == spec).findFirst();
  }

  /** The whole chunk, header and checksum included. */
  byte[] encode() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (type == 0) {
      writeActors(body, actors);
      writeHashes(body);
      List<byte[]> changeData = writeMetadata(body, changeColumns);
      List<byte[]> opData = writeMetadata(body, opColumns);
      changeData.forEach(body::writeBytes);
      opData.forEach(body::writeBytes);
    } else {
      writeHashes(body);
      byte[] author = actors.isEmpty() ? new byte[0] : actors.get(0);
      Leb.writeUnsigned(body, author.length);
      body.writeBytes(author);
      Leb.writeUnsigned(body, seq);
      Leb.writeUnsigned(body, startOp);
      Leb.writeSigned(body, time);
      Leb.writeUnsigned(body, message.length);
      body.writeBytes(message);
      writeActors(body, actors.isEmpty() ? List.of() : actors.subList(1, actors.size()));
      writeMetadata(body, opColumns).forEach(body::writeBytes);
    }
    body.writeBytes(tail);
    byte[] content = body.toByteArray();
    ByteArrayOutputStream hashed = new ByteArrayOutputStream();
    hashed.write(type);
    Leb.writeUnsigned(hashed, content.length);
    hashed.writeBytes(content);
    byte[] digest = sha256(hashed.toByteArray());
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    chunk.writeBytes(MAGIC);
    chunk.write(digest, 0, 4);
    chunk.writeBytes(hashed.toByteArray());
    return chunk.toByteArray();
  }

  private static void writeActors(ByteArrayOutputStream out, List<byte[]> list) {
    Leb.writeUnsigned(out, list.size());
    for (byte[] actor : list) {
      Leb.writeUnsigned(out, actor.length);
      out.writeBytes(actor);
    }
  }

  private void writeHashes(ByteArrayOutputStream out) {
    Leb.writeUnsigned(out, hashes.size());
    hashes.forEach(out::writeBytes);
  }

  /** Writes the metadata of the non-empty columns; their data, in the same order. */
  private static List<byte[]> writeMetadata(ByteArrayOutputStream out, List<Column> columns) {
    List<byte[]> data = new ArrayList<>();
    for (Column column : columns) {
      data.add(column.encode());
    }
    Leb.writeUnsigned(out, columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Leb.writeUnsigned(out, columns.get(i).spec);
      Leb.writeUnsigned(out, data.get(i).length);
    }
    return data;
  }

  /** The change hash of an encoded type-1 chunk: SHA-256 of everything after the checksum. */
  static byte[] changeHash(byte[] chunk) {
    MessageDigest sha256 = sha256();
    sha256.update(chunk, 8, chunk.length - 8);
    return sha256.digest();
  }

  private static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
