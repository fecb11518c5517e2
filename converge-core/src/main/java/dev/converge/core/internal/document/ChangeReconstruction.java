package dev.converge.core.internal.document;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.concurrent.SideTask;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rebuilds a document's changes from its ops (compat §2.9, "Rebuilding changes"):
 *
 * <ol>
 *   <li>Successors become preds; a successor that is not a stored op was a delete, and becomes a
 *       {@code del} op on the same object and key (the element itself, for an insert) whose preds
 *       are every op naming it.
 *   <li>Each op goes to the change {@link ChangeRanges} finds for it: of its actor, with a range
 *       {@code (largest maxOp of its deps, maxOp]} that holds its counter; an op no change holds
 *       stays in the document and in no change, as in JavaScript. Within a change the ops must be
 *       consecutive counters ending at maxOp; the first one is the startOp (an empty change has
 *       startOp {@code maxOp + 1}).
 *   <li>Changes are encoded in stored row order, each dep row resolved to the hash of that earlier
 *       row, and the changes no other depends on, sorted, must be exactly the stored heads in their
 *       stored order.
 * </ol>
 */
final class ChangeReconstruction {
  private ChangeReconstruction() {}

  /** Where rebuilt changes go, one at a time in stored row order. */
  @FunctionalInterface
  interface ChangeSink {
    /**
     * Takes the change of row {@code row} of {@code changes}: {@code depRows} are the rows of its
     * dependencies, all earlier, in their stored order (JavaScript keeps it; its own files have
     * them by hash); its hash is the 32 bytes of {@code hashes} at {@code row * 32}, after those of
     * every earlier row; its chunk body after the deps is the {@code bodyLength} bytes of {@code
     * bodies} at {@code bodyFrom}; {@code ops} makes its change ops on request. {@code depRows} is
     * reused for later rows: copy what must outlive the call.
     */
    void accept(
        DocChanges changes,
        int row,
        long startOp,
        int[] depRows,
        byte[] hashes,
        byte[] bodies,
        int bodyFrom,
        int bodyLength,
        OpsByChange ops);
  }

  /**
   * Rows rebuilt per block: bounds the bodies held at once, so young collections stay cheap, and is
   * large enough that handing a block to another thread costs little.
   */
  private static final int BLOCK_ROWS = 8192;

  /** A first guess of a body's size after its deps: a one-op change by a 16-byte actor. */
  private static final int BODY_BYTES_GUESS = 96;

  /**
   * Rebuilds every change and hands it to {@code sink} in stored row order, then, if {@code
   * checkHeads}, checks the heads. The sink may have taken changes when this throws; a caller that
   * keeps them must undo that.
   *
   * @return the heads of the rebuilt changes, sorted
   */
  static List<ChangeHash> reconstruct(
      DecodedDocument document, ChangeSink sink, boolean checkHeads) {
    DocChanges changes = document.changeColumns();
    MarkOrder.check(document.opColumns());
    int count = changes.size();
    OpsByChange ops = OpsByChange.group(document.opColumns(), changes);
    byte[] hashes = new byte[count * ChangeHash.LENGTH];
    BitSet referenced = new BitSet(count);
    BodyWriter bodies = new BodyWriter(changes, ops);
    RowHasher hasher = new RowHasher();
    // A change's body after its deps needs no other hash, so bodies are written ahead, a block at
    // a time, on another core and on this one whenever the block it needs next is not ready.
    SharedBlocks blocks = new SharedBlocks(bodies, count);
    ActorOrder order = new ActorOrder(document.actors().size());
    SideTask<Void> side = SideTask.start(blocks::writeWhileLeft);
    try {
      for (int block = 0; block < blocks.blockCount; block++) {
        Block taken = blocks.take(block);
        finish(taken, changes, ops, hasher, hashes, referenced, order, sink);
        blocks.finished(taken);
      }
    } catch (RuntimeException | Error e) {
      blocks.stop();
      side.awaitQuietly();
      throw e;
    }
    side.join();
    List<ChangeHash> heads = headsOf(hashes, referenced);
    if (checkHeads) {
      checkHeads(document, heads);
    }
    return heads;
  }

  /**
   * Rows {@code first..end} and their bodies after the deps, one after another in the buffer {@code
   * bodies}: row {@code first + i} spans {@code bodyStart[i]..bodyStart[i + 1]}.
   */
  @SuppressWarnings("ArrayRecordComponent") // written once by its block writer, then only read
  private record Block(int first, int end, ByteWriter bodies, int[] bodyStart) {}

  /**
   * Blocks of bodies, each written once by whichever thread claims it first, in block order; at
   * most {@link #AHEAD} blocks are written and not yet finished, which bounds the memory they hold.
   */
  private static final class SharedBlocks {
    private static final int AHEAD = 3;

    final int blockCount;
    private final BodyWriter writer;
    private final int count;
    private final List<CompletableFuture<Block>> written;
    private final AtomicInteger claimed = new AtomicInteger();
    private final Semaphore room = new Semaphore(AHEAD);
    private volatile boolean stopped;

    SharedBlocks(BodyWriter writer, int count) {
      this.writer = writer;
      this.count = count;
      this.blockCount = (count + BLOCK_ROWS - 1) / BLOCK_ROWS;
      this.written = new ArrayList<>(blockCount);
      for (int b = 0; b < blockCount; b++) {
        written.add(new CompletableFuture<>());
      }
    }

    /** The side task: writes blocks until none is left or the rebuild stopped. */
    void writeWhileLeft() {
      try {
        while (!stopped) {
          room.acquire();
          if (!writeClaimed()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Block {@code b}, writing later blocks on this thread while it is not ready. */
    Block take(int b) {
      CompletableFuture<Block> future = written.get(b);
      while (!future.isDone() && room.tryAcquire()) {
        if (!writeClaimed()) {
          break;
        }
      }
      return SideTask.join(future);
    }

    /** The block taken last is finished; its room and its buffer go to the next. */
    void finished(Block block) {
      writer.recycle(block.bodies());
      room.release();
    }

    /** Ends the writing after a failure; a writer waiting for room is let go. */
    void stop() {
      stopped = true;
      room.release(AHEAD + 1);
    }

    /**
     * Claims the next block and writes it, holding one unit of room; whether there was one to
     * claim.
     */
    private boolean writeClaimed() {
      int b = claimed.getAndIncrement();
      if (b >= blockCount || stopped) {
        room.release();
        return false;
      }
      CompletableFuture<Block> future = written.get(b);
      try {
        future.complete(writer.write(b * BLOCK_ROWS, Math.min(count, (b + 1) * BLOCK_ROWS)));
      } catch (RuntimeException | Error e) {
        future.completeExceptionally(e);
        stopped = true;
      }
      return true;
    }
  }

  /** Writes blocks of change bodies; each block touches only its own rows. */
  private static final class BodyWriter {
    private final DocChanges changes;
    private final OpsByChange ops;
    private final Queue<ByteWriter> spare = new ConcurrentLinkedQueue<>();

    BodyWriter(DocChanges changes, OpsByChange ops) {
      this.changes = changes;
      this.ops = ops;
    }

    /** A finished block's buffer, for a later block: one per block in flight is all that lives. */
    void recycle(ByteWriter bodies) {
      spare.offer(bodies);
    }

    Block write(int first, int end) {
      ByteWriter bodies = spare.poll();
      if (bodies == null) {
        bodies = new ByteWriter(BODY_BYTES_GUESS * (end - first));
      }
      bodies.reset();
      int[] bodyStart = new int[end - first + 1];
      OpsByChange.RowOps rowOps = ops.rowOps();
      for (int row = first; row < end; row++) {
        ChangeChunks.writeAfterDeps(
            bodies,
            changes.actor(row),
            changes.seq(row),
            ops.startOp(row),
            changes.time(row),
            changes.message(row),
            rowOps.of(row),
            changes.extraBytes(row));
        bodyStart[row - first + 1] = bodies.size();
      }
      return new Block(first, end, bodies, bodyStart);
    }
  }

  /** Dependency arrays of fewer entries than this are reused from row to row. */
  private static final int SCRATCH_DEPS = 8;

  /** Finishes a block's changes in row order: deps resolved, hashed, handed on. */
  private static void finish(
      Block block,
      DocChanges changes,
      OpsByChange ops,
      RowHasher hasher,
      byte[] hashes,
      BitSet referenced,
      ActorOrder order,
      ChangeSink sink) {
    int[][] scratch = new int[SCRATCH_DEPS][];
    for (int row = block.first(); row < block.end(); row++) {
      order.check(changes, row);
      int depCount = changes.depCount(row);
      int[] rows;
      if (depCount < SCRATCH_DEPS) {
        if (scratch[depCount] == null) {
          scratch[depCount] = new int[depCount];
        }
        rows = scratch[depCount];
      } else {
        rows = new int[depCount];
      }
      for (int d = 0; d < rows.length; d++) {
        int dep = changes.depRow(row, d);
        if (dep >= row) {
          throw new CorruptDataException(
              "change row " + row + " depends on row " + dep + ", which is not an earlier change");
        }
        referenced.set(dep);
        rows[d] = dep;
      }
      int inBlock = row - block.first();
      int bodyFrom = block.bodyStart()[inBlock];
      int bodyLength = block.bodyStart()[inBlock + 1] - bodyFrom;
      byte[] bodies = block.bodies().array();
      hasher.hash(rows, hashes, bodies, bodyFrom, bodyLength, row);
      sink.accept(changes, row, ops.startOp(row), rows, hashes, bodies, bodyFrom, bodyLength, ops);
    }
  }

  /**
   * What JavaScript checks of each actor's changes in stored row order: seqs 1, 2, 3... ("changes
   * out of order") and opsMax that never go down ("incorrect max op").
   */
  private static final class ActorOrder {
    private final long[] lastSeq;
    private final long[] lastMaxOp;
    private final java.util.Map<dev.converge.core.ActorId, Integer> indexOf =
        new java.util.HashMap<>();
    private int lastActor = -1;

    ActorOrder(int actors) {
      lastSeq = new long[actors];
      lastMaxOp = new long[actors];
    }

    void check(DocChanges changes, int row) {
      int actor = changes.actorIndex(row);
      // Consecutive rows are mostly by one actor, whose index is in the map already.
      Integer first = actor == lastActor ? null : indexOf.putIfAbsent(changes.actor(row), actor);
      lastActor = actor;
      if (first != null && first != actor) {
        // JavaScript keeps the two apart; a Converge document has one history per actor.
        throw new CorruptDataException(
            "actor "
                + changes.actor(row)
                + " is listed twice in the document's actors, and both have changes");
      }
      long seq = changes.seq(row);
      if (seq != lastSeq[actor] + 1) {
        throw new CorruptDataException(
            "changes out of order: change row "
                + row
                + " by "
                + changes.actor(row)
                + " has seq "
                + seq
                + ", expected "
                + (lastSeq[actor] + 1));
      }
      long maxOp = changes.maxOp(row);
      if (maxOp < lastMaxOp[actor]) {
        throw new CorruptDataException(
            "incorrect max op: change row "
                + row
                + " by "
                + changes.actor(row)
                + " has maxOp "
                + maxOp
                + ", below the "
                + lastMaxOp[actor]
                + " of its previous change");
      }
      lastSeq[actor] = seq;
      lastMaxOp[actor] = maxOp;
    }
  }

  /** The rebuilt changes that no other depends on, sorted. */
  private static List<ChangeHash> headsOf(byte[] hashes, BitSet referenced) {
    int count = hashes.length / ChangeHash.LENGTH;
    TreeSet<ChangeHash> heads = new TreeSet<>();
    for (int row = referenced.nextClearBit(0);
        row < count;
        row = referenced.nextClearBit(row + 1)) {
      heads.add(hashOf(hashes, row));
    }
    return List.copyOf(heads);
  }

  private static void checkHeads(DecodedDocument document, List<ChangeHash> computed) {
    // As JavaScript compares them: the stored list, in its order and with any repeats, against
    // the sorted rebuilt heads.
    List<ChangeHash> stored = document.heads();
    if (!computed.equals(stored)) {
      throw new CorruptDataException(
          "mismatching heads: stored " + stored + ", rebuilt changes give " + computed);
    }
  }

  /** The hash of {@code row} among the rebuilt rows' {@code hashes}. */
  static ChangeHash hashOf(byte[] hashes, int row) {
    return ChangeHash.of(hashes, row * ChangeHash.LENGTH);
  }
}
