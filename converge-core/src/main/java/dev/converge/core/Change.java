package dev.converge.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A change: the unit of replication, an atomic group of ops by one actor, named by the SHA-256 hash
 * of its encoded chunk. Immutable. Two changes are equal when their hashes are.
 *
 * <p>The encoded chunk is kept with the change: it is what gets hashed, synced and saved, and
 * keeping it means a change read from a peer is written back byte for byte, including any extra
 * bytes a newer writer appended.
 */
public final class Change {
  private final ActorId actor;
  private final long seq;
  private final long startOp;
  private final long time;
  private final Optional<String> message;
  private final List<ChangeHash> deps;
  private final List<ChangeOp> ops;
  private final byte[] extraBytes;
  private final ChangeHash hash;
  private final byte[] chunk;

  /**
   * Assembles a change from its decoded or freshly encoded parts; only the change chunk codec calls
   * this, after checking that {@code chunk} encodes exactly these fields and {@code hash} is its
   * hash.
   */
  public Change(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeHash> deps,
      List<ChangeOp> ops,
      byte[] extraBytes,
      ChangeHash hash,
      byte[] chunk) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.seq = seq;
    this.startOp = startOp;
    this.time = time;
    this.message = Objects.requireNonNull(message, "message");
    this.deps = List.copyOf(deps);
    this.ops = List.copyOf(ops);
    this.extraBytes = extraBytes.clone();
    this.hash = Objects.requireNonNull(hash, "hash");
    this.chunk = chunk.clone();
  }

  /**
   * Decodes one change chunk (type 1, or compressed type 2), checking its checksum and hash.
   *
   * @throws CorruptDataException if the bytes are not exactly one valid change chunk
   * @throws LimitExceededException if it holds more ops than the default limit
   */
  public static Change fromBytes(byte[] chunk) {
    return dev.converge.core.internal.change.ChangeChunks.decode(chunk);
  }

  public ActorId actor() {
    return actor;
  }

  /** 1, 2, 3… per actor, with no gaps. */
  public long seq() {
    return seq;
  }

  /** The counter of the first op. */
  public long startOp() {
    return startOp;
  }

  /** The counter of the last op; {@code startOp - 1} for an empty change. */
  public long maxOp() {
    return startOp + ops.size() - 1;
  }

  /**
   * Seconds since the Unix epoch, Automerge's unit, as the author's {@link HybridClock} (or the
   * author's choice) said; never used for ordering or merging.
   */
  public long time() {
    return time;
  }

  public Optional<String> message() {
    return message;
  }

  /** Hashes of the direct predecessors, sorted. */
  public List<ChangeHash> deps() {
    return deps;
  }

  public List<ChangeOp> ops() {
    return ops;
  }

  /** The op ID of the op at {@code index}. */
  public OpId opId(int index) {
    return new OpId(startOp + index, actor);
  }

  public byte[] extraBytes() {
    return extraBytes.clone();
  }

  public ChangeHash hash() {
    return hash;
  }

  /** The encoded, uncompressed change chunk (type 1), header included. */
  public byte[] toBytes() {
    return chunk.clone();
  }

  /** The length of the encoded chunk in bytes. */
  public int byteLength() {
    return chunk.length;
  }

  /** Appends the encoded chunk to {@code target} without an intermediate copy. */
  public void writeTo(java.io.ByteArrayOutputStream target) {
    target.write(chunk, 0, chunk.length);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Change that && hash.equals(that.hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "Change[" + hash + " " + actor + "/" + seq + ", " + ops.size() + " ops]";
  }
}
