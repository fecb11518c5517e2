package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.concurrent.SideTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Rebuilds a document's changes from its ops (format §2.9, "Rebuilding changes"):
 *
 * <ol>
 *   <li>Successors become preds; a successor that is not a stored op was a delete, and becomes a
 *       {@code del} op on the same object and key (the element itself, for an insert) whose preds
 *       are every op naming it.
 *   <li>Each op goes to the change of its actor whose range {@code (previous maxOp, maxOp]} holds
 *       its counter, the actor's changes taken in seq order. Within a change the ops must be
 *       consecutive counters ending at maxOp; the first one is the startOp (an empty change has
 *       startOp {@code maxOp + 1}).
 *   <li>Changes are encoded in stored row order, each dep row resolved to the hash of that earlier
 *       row, and the changes no other depends on must be exactly the stored heads.
 * </ol>
 */
final class ChangeReconstruction {
  private ChangeReconstruction() {}

  /** Where rebuilt changes go, one at a time in stored row order. */
  @FunctionalInterface
  interface ChangeSink {
    /**
     * Takes the change of row {@code row}: {@code depRows} are the rows of its dependencies, all
     * earlier, in the order of their hashes; its hash is the 32 bytes of {@code hashes} at {@code
     * row * 32}, after those of every earlier row; {@code afterDeps} is its chunk body after the
     * deps.
     */
    void accept(
        int row,
        DocChange change,
        long startOp,
        int[] depRows,
        byte[] hashes,
        byte[] afterDeps,
        List<ChangeOp> ops);
  }

  /**
   * Rows rebuilt per block: bounds the bodies held at once, so young collections stay cheap, and is
   * large enough that handing a block to another thread costs little.
   */
  private static final int BLOCK_ROWS = 8192;

  /**
   * Rebuilds every change and hands it to {@code sink} in stored row order, then checks the heads.
   * The sink may have taken changes when this throws; a caller that keeps them must undo that.
   *
   * @return the heads, sorted
   */
  static List<ChangeHash> reconstruct(DecodedDocument document, ChangeSink sink) {
    List<DocChange> changes = document.changes();
    int count = changes.size();
    Map<ActorId, long[]> ranges = actorRanges(changes);
    List<PendingOp> pending = collectOps(document.ops());
    // Group the ops by row (a counting sort), each row's ops by counter.
    int[] rowStart = new int[count + 1];
    RowFinder finder = new RowFinder(ranges);
    for (PendingOp op : pending) {
      op.row = finder.rowFor(op.id);
      rowStart[op.row + 1]++;
    }
    for (int row = 0; row < count; row++) {
      rowStart[row + 1] += rowStart[row];
    }
    PendingOp[] byRow = new PendingOp[pending.size()];
    int[] fill = Arrays.copyOf(rowStart, count);
    for (PendingOp op : pending) {
      byRow[fill[op.row]++] = op;
    }
    long[] startOps = new long[count];
    for (int row = 0; row < count; row++) {
      int from = rowStart[row];
      int to = rowStart[row + 1];
      if (to - from > 1) {
        Arrays.sort(byRow, from, to, (x, y) -> Long.compare(x.id.counter(), y.id.counter()));
      }
      startOps[row] = checkConsecutive(row, changes.get(row), byRow, from, to);
    }

    byte[] hashes = new byte[count * ChangeHash.LENGTH];
    BitSet referenced = new BitSet(count);
    BodyWriter bodies = new BodyWriter(changes, byRow, rowStart, startOps);
    RowHasher hasher = new RowHasher();
    // A change's body after its deps needs no other hash: the next block's bodies are written on
    // another core while this thread finishes and hashes the current block in row order.
    SideTask<Block> next = SideTask.start(() -> bodies.write(0, Math.min(count, BLOCK_ROWS)));
    try {
      for (int blockStart = 0; blockStart < count; blockStart += BLOCK_ROWS) {
        Block block = next.join();
        int following = blockStart + BLOCK_ROWS;
        if (following < count) {
          next =
              SideTask.start(
                  () -> bodies.write(following, Math.min(count, following + BLOCK_ROWS)));
        }
        finish(block, changes, startOps, hasher, hashes, referenced, sink);
      }
    } catch (RuntimeException | Error e) {
      next.awaitQuietly();
      throw e;
    }
    return checkHeads(document, hashes, referenced);
  }

  /** Rows {@code first..end} with their change ops and the bodies after their deps. */
  private record Block(int first, int end, List<List<ChangeOp>> ops, List<byte[]> afterDeps) {}

  /** Writes blocks of change bodies; each block touches only its own rows. */
  private static final class BodyWriter {
    private final List<DocChange> changes;
    private final PendingOp[] byRow;
    private final int[] rowStart;
    private final long[] startOps;

    BodyWriter(List<DocChange> changes, PendingOp[] byRow, int[] rowStart, long[] startOps) {
      this.changes = changes;
      this.byRow = byRow;
      this.rowStart = rowStart;
      this.startOps = startOps;
    }

    Block write(int first, int end) {
      List<List<ChangeOp>> ops = new ArrayList<>(end - first);
      List<byte[]> afterDeps = new ArrayList<>(end - first);
      for (int row = first; row < end; row++) {
        List<ChangeOp> rowOps = new ArrayList<>(rowStart[row + 1] - rowStart[row]);
        for (int i = rowStart[row]; i < rowStart[row + 1]; i++) {
          rowOps.add(byRow[i].toChangeOp());
          byRow[i] = null;
        }
        ops.add(rowOps);
        DocChange change = changes.get(row);
        afterDeps.add(
            ChangeChunks.encodeAfterDeps(
                change.actor(),
                change.seq(),
                startOps[row],
                change.time(),
                change.message(),
                rowOps,
                change.extraBytes().toBytes()));
      }
      return new Block(first, end, ops, afterDeps);
    }
  }

  /** Finishes a block's changes in row order: deps resolved, hashed, handed on. */
  private static void finish(
      Block block,
      List<DocChange> changes,
      long[] startOps,
      RowHasher hasher,
      byte[] hashes,
      BitSet referenced,
      ChangeSink sink) {
    for (int row = block.first(); row < block.end(); row++) {
      DocChange change = changes.get(row);
      List<Integer> depRows = change.depRows();
      int[] rows = new int[depRows.size()];
      for (int d = 0; d < rows.length; d++) {
        int dep = depRows.get(d);
        if (dep >= row) {
          throw new CorruptDataException(
              "change row " + row + " depends on row " + dep + ", which is not an earlier change");
        }
        referenced.set(dep);
        rows[d] = dep;
      }
      sortByHash(rows, hashes);
      int inBlock = row - block.first();
      byte[] afterDeps = block.afterDeps().get(inBlock);
      hasher.hash(rows, hashes, afterDeps, row);
      sink.accept(row, change, startOps[row], rows, hashes, afterDeps, block.ops().get(inBlock));
    }
  }

  /** Orders dependency rows by their hashes, as a chunk lists its deps; most changes have one. */
  private static void sortByHash(int[] rows, byte[] hashes) {
    for (int i = 1; i < rows.length; i++) {
      int row = rows[i];
      int j = i - 1;
      while (j >= 0 && compareHashes(hashes, rows[j], row) > 0) {
        rows[j + 1] = rows[j];
        j--;
      }
      rows[j + 1] = row;
    }
  }

  private static int compareHashes(byte[] hashes, int a, int b) {
    int length = ChangeHash.LENGTH;
    return Arrays.compareUnsigned(
        hashes, a * length, (a + 1) * length, hashes, b * length, (b + 1) * length);
  }

  /** For each actor, its changes' rows ordered by seq, with their maxOps. */
  private static Map<ActorId, long[]> actorRanges(List<DocChange> changes) {
    Map<ActorId, List<Integer>> rowsByActor = new HashMap<>();
    for (int row = 0; row < changes.size(); row++) {
      rowsByActor.computeIfAbsent(changes.get(row).actor(), a -> new ArrayList<>()).add(row);
    }
    Map<ActorId, long[]> ranges = new HashMap<>();
    for (Map.Entry<ActorId, List<Integer>> entry : rowsByActor.entrySet()) {
      List<Integer> rows = entry.getValue();
      rows.sort((a, b) -> Long.compare(changes.get(a).seq(), changes.get(b).seq()));
      // Pairs of (maxOp, row), maxOp non-decreasing.
      long[] pairs = new long[rows.size() * 2];
      long previous = 0;
      for (int i = 0; i < rows.size(); i++) {
        DocChange change = changes.get(rows.get(i));
        if (change.maxOp() < previous) {
          throw new CorruptDataException(
              "change row "
                  + rows.get(i)
                  + " of actor "
                  + entry.getKey()
                  + " has maxOp "
                  + change.maxOp()
                  + " below the "
                  + previous
                  + " of its previous change");
        }
        previous = change.maxOp();
        pairs[2 * i] = change.maxOp();
        pairs[2 * i + 1] = rows.get(i);
      }
      ranges.put(entry.getKey(), pairs);
    }
    return ranges;
  }

  /**
   * Finds the change row of an op. Ops come in document order, where neighbours were often made by
   * the same or the next change, so the last answer and the one after it are tried before a binary
   * search.
   */
  private static final class RowFinder {
    private final Map<ActorId, long[]> ranges;
    private ActorId lastActor = ActorId.of(new byte[0]);
    private long[] lastPairs = new long[0];
    private int last;

    RowFinder(Map<ActorId, long[]> ranges) {
      this.ranges = ranges;
    }

    int rowFor(OpId id) {
      long counter = id.counter();
      if (id.actor().equals(lastActor)) {
        if (holds(lastPairs, last, counter)) {
          return (int) lastPairs[2 * last + 1];
        }
        if (holds(lastPairs, last + 1, counter)) {
          last++;
          return (int) lastPairs[2 * last + 1];
        }
      } else {
        long[] pairs = ranges.get(id.actor());
        if (pairs == null) {
          throw new CorruptDataException("mismatching heads: op " + id + " belongs to no change");
        }
        lastActor = id.actor();
        lastPairs = pairs;
      }
      long[] pairs = lastPairs;
      int low = 0;
      int high = pairs.length / 2;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (pairs[2 * middle] < counter) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      if (low < pairs.length / 2) {
        last = low;
        return (int) pairs[2 * low + 1];
      }
      throw new CorruptDataException("mismatching heads: op " + id + " belongs to no change");
    }

    /** Whether range {@code index} (previous maxOp, maxOp] holds {@code counter}. */
    private static boolean holds(long[] pairs, int index, long counter) {
      int ranges = pairs.length / 2;
      if (index >= ranges || pairs[2 * index] < counter) {
        return false;
      }
      return index == 0 || pairs[2 * (index - 1)] < counter;
    }
  }

  private static long checkConsecutive(
      int row, DocChange change, PendingOp[] byRow, int from, int to) {
    if (from == to) {
      return change.maxOp() + 1;
    }
    long startOp = byRow[from].id.counter();
    for (int i = from; i < to; i++) {
      if (byRow[i].id.counter() != startOp + (i - from)) {
        throw new CorruptDataException(
            "mismatching heads: change row "
                + row
                + " is missing op counter "
                + (startOp + (i - from)));
      }
    }
    long last = byRow[to - 1].id.counter();
    if (last != change.maxOp()) {
      throw new CorruptDataException(
          "mismatching heads: change row "
              + row
              + " has maxOp "
              + change.maxOp()
              + " but its last op is "
              + last);
    }
    return startOp;
  }

  private static List<ChangeHash> checkHeads(
      DecodedDocument document, byte[] hashes, BitSet referenced) {
    int count = hashes.length / ChangeHash.LENGTH;
    TreeSet<ChangeHash> heads = new TreeSet<>();
    for (int row = referenced.nextClearBit(0);
        row < count;
        row = referenced.nextClearBit(row + 1)) {
      heads.add(hashOf(hashes, row));
    }
    List<ChangeHash> computed = List.copyOf(heads);
    List<ChangeHash> stored = List.copyOf(new TreeSet<>(document.heads()));
    if (!computed.equals(stored)) {
      throw new CorruptDataException(
          "mismatching heads: stored " + stored + ", rebuilt changes give " + computed);
    }
    List<Integer> headRows = document.headRows();
    for (int i = 0; i < headRows.size(); i++) {
      if (!hashOf(hashes, headRows.get(i)).equals(document.heads().get(i))) {
        throw new CorruptDataException(
            "heads index: head "
                + i
                + " names change row "
                + headRows.get(i)
                + ", whose hash differs");
      }
    }
    return computed;
  }

  /** The hash of {@code row} among the rebuilt rows' {@code hashes}. */
  static ChangeHash hashOf(byte[] hashes, int row) {
    return ChangeHash.of(hashes, row * ChangeHash.LENGTH);
  }

  /** Turns stored ops into change ops: succ to pred, deletes synthesized. */
  private static List<PendingOp> collectOps(List<DocOp> ops) {
    Map<OpId, PendingOp> byId = new HashMap<>(ops.size() * 2);
    List<PendingOp> all = new ArrayList<>(ops.size());
    for (DocOp op : ops) {
      PendingOp pending =
          new PendingOp(
              op.id(),
              op.obj(),
              op.key(),
              op.insert(),
              op.action(),
              op.value(),
              op.expand(),
              op.markName());
      if (byId.put(op.id(), pending) != null) {
        throw new CorruptDataException("op " + op.id() + " is stored twice");
      }
      all.add(pending);
    }
    for (DocOp op : ops) {
      for (OpId successor : op.succ()) {
        PendingOp target = byId.get(successor);
        if (target == null) {
          Key key = op.insert() ? Key.elem(ElemId.of(op.id())) : op.key();
          target =
              new PendingOp(
                  successor,
                  op.obj(),
                  key,
                  false,
                  Action.DELETE,
                  ScalarValue.NULL,
                  false,
                  Optional.empty());
          byId.put(successor, target);
          all.add(target);
        }
        target.pred.add(op.id());
      }
    }
    return all;
  }

  /** A change op being assembled. */
  private static final class PendingOp {
    final OpId id;
    final dev.converge.core.ObjId obj;
    final Key key;
    final boolean insert;
    final Action action;
    final ScalarValue value;
    final boolean expand;
    final Optional<String> markName;
    final List<OpId> pred = new ArrayList<>(1);
    int row;

    PendingOp(
        OpId id,
        dev.converge.core.ObjId obj,
        Key key,
        boolean insert,
        Action action,
        ScalarValue value,
        boolean expand,
        Optional<String> markName) {
      this.id = id;
      this.obj = obj;
      this.key = key;
      this.insert = insert;
      this.action = action;
      this.value = value;
      this.expand = expand;
      this.markName = markName;
    }

    ChangeOp toChangeOp() {
      OpId[] sorted = pred.toArray(new OpId[0]);
      Arrays.sort(sorted);
      return new ChangeOp(obj, key, insert, action, value, Arrays.asList(sorted), expand, markName);
    }
  }
}
