package dev.converge.core.internal.change;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.codec.Deflate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and decodes change chunks (compat §2.7).
 *
 * <p>A change chunk's body holds, in order: the deps as a hash array (sorted), the author as uLEB
 * length and bytes, seq (uLEB), startOp (uLEB, at least 1), time (sLEB), the message (uLEB length
 * and UTF-8, empty for none), the other actors (uLEB count, then each as length and bytes, sorted),
 * the op column metadata and data, and any extra bytes to the end. The change's hash is SHA-256
 * over the type byte, the body length uLEB and the body; its first four bytes are the chunk's
 * checksum. A compressed change (type 2) has the DEFLATE of the type-1 body and the checksum of the
 * type-1 chunk.
 *
 * <p>{@link #encode} always writes the canonical form, so encoding a decoded change gives back the
 * bytes Automerge wrote. Thread-safe: each thread encodes with its own buffers and digest.
 */
public final class ChangeChunks {
  /** Default limit on the inflated body of a compressed change. */
  public static final int DEFAULT_MAX_INFLATED_BYTES = 128 << 20;

  /** Default limit on the ops in one change. */
  public static final int DEFAULT_MAX_OPS = 1 << 22;

  private static final ThreadLocal<ChangeEncoder> ENCODER =
      ThreadLocal.withInitial(ChangeEncoder::new);
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(ChangeChunks::newSha256);

  private ChangeChunks() {}

  /**
   * Encodes a change as a type-1 chunk and computes its hash.
   *
   * @param message empty, or a message; an empty string is written like no message (a change chunk
   *     cannot tell them apart), but the returned change keeps it, as a document chunk can
   * @param deps the hashes of the changes this one depends on, in any order (they are sorted)
   * @param ops the ops, whose preds must each be ascending
   * @param extraBytes bytes appended after the op columns (normally none)
   * @throws IllegalArgumentException if startOp is not 1..2^32-1, the ops would take counters past
   *     u32, an op counter is past u32, preds are out of order, an increment is not numeric, or a
   *     string holds an unpaired surrogate
   */
  public static Change encode(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeHash> deps,
      List<ChangeOp> ops,
      byte[] extraBytes) {
    return ENCODER.get().encode(actor, seq, startOp, time, message, deps, ops, extraBytes);
  }

  /**
   * Appends to {@code out} the part of a change's chunk body after its deps, for {@link
   * #encodeWithDeps}: bodies of many changes can be written at once, on several threads, and the
   * changes finished in dependency order. Throws as {@link #encode}.
   */
  public static void writeAfterDeps(
      ByteWriter out,
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      EncodableOps ops,
      byte[] extraBytes) {
    ENCODER.get().writeAfterDeps(out, actor, seq, startOp, time, message, ops, extraBytes);
  }

  /**
   * The change {@link #encode} makes from the same arguments, given the body after the deps that
   * {@link #writeAfterDeps} wrote for them, except that the deps stay in the order given: a change
   * rebuilt from a document lists them as the document stored them, as JavaScript does.
   */
  public static Change encodeWithDeps(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeHash> deps,
      List<ChangeOp> ops,
      byte[] extraBytes,
      byte[] afterDeps) {
    return ENCODER
        .get()
        .encodeWithDeps(actor, seq, startOp, time, message, deps, ops, extraBytes, afterDeps);
  }

  /**
   * Decodes {@code bytes}, which must be exactly one change chunk (type 1 or 2).
   *
   * @throws CorruptDataException if the bytes are not a valid change chunk
   * @throws UnsupportedFormatException for an unknown chunk type or op action
   * @throws LimitExceededException if a compressed change inflates past {@link
   *     #DEFAULT_MAX_INFLATED_BYTES} or it holds more than {@link #DEFAULT_MAX_OPS} ops
   */
  public static Change decode(byte[] bytes) {
    return decode(Chunks.single(bytes), DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_OPS);
  }

  /**
   * Decodes a change chunk found by {@link Chunks}.
   *
   * @throws CorruptDataException if the chunk is not a valid change chunk, or is a document
   * @throws UnsupportedFormatException for a bundle chunk or an unknown op action
   * @throws LimitExceededException if it inflates past {@code inflatedBytesMax} or holds more than
   *     {@code opsMax} ops
   */
  public static Change decode(Chunk chunk, int inflatedBytesMax, int opsMax) {
    switch (chunk.type()) {
      case CHANGE:
        return decodeChange(chunk, opsMax);
      case COMPRESSED_CHANGE:
        return decodeCompressed(chunk, inflatedBytesMax, opsMax);
      case DOCUMENT:
        throw new CorruptDataException(
            "expected a change chunk, found a document chunk at byte " + chunk.offset());
      case BUNDLE:
        throw new UnsupportedFormatException(
            "bundle chunks are not supported (at byte " + chunk.offset() + ")");
      default:
        throw new AssertionError(chunk.type());
    }
  }

  private static Change decodeChange(Chunk chunk, int opsMax) {
    byte[] hash = chunk.computeHash(SHA256.get());
    if (!chunk.checksumMatches(hash)) {
      throw new CorruptDataException("bad checksum in change chunk at byte " + chunk.offset());
    }
    byte[] bytes =
        chunk.offset() == 0 && chunk.length() == chunk.source().length
            ? chunk.source()
            : chunk.copyBytes();
    return ChangeDecoder.decode(bytes, chunk.headerLength(), hash, opsMax);
  }

  private static Change decodeCompressed(Chunk chunk, int inflatedBytesMax, int opsMax) {
    byte[] body =
        Deflate.inflate(
            chunk.source(),
            chunk.bodyOffset(),
            chunk.bodyLength(),
            inflatedBytesMax,
            "compressed change chunk at byte " + chunk.offset());
    ByteWriter out = new ByteWriter(body.length + 16);
    out.writeBytes(Chunk.MAGIC);
    out.writeBytes(chunk.source(), chunk.offset() + Chunk.MAGIC_LENGTH, Chunk.CHECKSUM_LENGTH);
    out.writeByte(ChunkType.CHANGE.code());
    out.writeUleb(body.length);
    int headerLength = out.size();
    out.writeBytes(body);
    byte[] uncompressed = out.toByteArray();
    Chunk inner = new Chunk(ChunkType.CHANGE, uncompressed, 0, headerLength, body.length);
    byte[] hash = inner.computeHash(SHA256.get());
    if (!inner.checksumMatches(hash)) {
      throw new CorruptDataException(
          "bad checksum in compressed change chunk at byte " + chunk.offset());
    }
    return ChangeDecoder.decode(uncompressed, headerLength, hash, opsMax);
  }

  /**
   * The other actors a change's chunk lists after its author, used by its ops or not, read again
   * from its bytes (a {@link Change} keeps only the ops that name them).
   */
  public static List<ActorId> otherActors(Change change) {
    byte[] chunk = change.toBytes();
    Chunk parsed = Chunks.single(chunk);
    dev.converge.core.internal.codec.ByteReader reader =
        new dev.converge.core.internal.codec.ByteReader(
            chunk, parsed.bodyOffset(), parsed.bodyLength());
    reader.skip(reader.readCount("deps count", Integer.MAX_VALUE) * ChangeHash.LENGTH, "deps");
    reader.skip(reader.readLength("actor length"), "actor");
    reader.readUleb("seq");
    reader.readUleb("startOp");
    reader.readSleb("time");
    reader.skip(reader.readLength("message length"), "message");
    int count = reader.readCount("other actors count", reader.remaining());
    List<ActorId> actors = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      actors.add(ActorId.of(reader.readBytes(reader.readLength("other actor length"), "actor")));
    }
    return actors;
  }

  /** Compresses a change's type-1 chunk into a type-2 chunk that keeps its checksum. */
  public static byte[] compress(Change change) {
    byte[] chunk = change.toBytes();
    Chunk parsed = Chunks.single(chunk);
    byte[] body = Deflate.compress(chunk, parsed.bodyOffset(), parsed.bodyLength());
    ByteWriter out = new ByteWriter(body.length + 16);
    out.writeBytes(Chunk.MAGIC);
    out.writeBytes(chunk, Chunk.MAGIC_LENGTH, Chunk.CHECKSUM_LENGTH);
    out.writeByte(ChunkType.COMPRESSED_CHANGE.code());
    out.writeUleb(body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
