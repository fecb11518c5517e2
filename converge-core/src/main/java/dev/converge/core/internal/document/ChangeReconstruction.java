package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.change.ChangeChunks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;

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

  /** The rebuilt changes in stored row order, each one's dependency rows, and the heads. */
  record Rebuilt(List<Change> changes, List<int[]> depRows, List<ChangeHash> heads) {}

  static Rebuilt reconstruct(DecodedDocument document) {
    List<DocChange> changes = document.changes();
    Map<ActorId, long[]> ranges = actorRanges(changes);
    List<List<ChangeOp>> opsByRow = new ArrayList<>(changes.size());
    long[][] countersByRow = new long[changes.size()][];
    List<PendingOp> pending = collectOps(document.ops());
    int[] sizes = new int[changes.size()];
    for (PendingOp op : pending) {
      op.row = rowFor(op.id, ranges);
      sizes[op.row]++;
    }
    for (int row = 0; row < changes.size(); row++) {
      opsByRow.add(new ArrayList<>(sizes[row]));
      countersByRow[row] = new long[sizes[row]];
    }
    pending.sort((a, b) -> Long.compare(a.id.counter(), b.id.counter()));
    for (PendingOp op : pending) {
      int row = op.row;
      countersByRow[row][opsByRow.get(row).size()] = op.id.counter();
      opsByRow.get(row).add(op.toChangeOp());
    }

    int count = changes.size();
    long[] startOps = new long[count];
    for (int row = 0; row < count; row++) {
      startOps[row] = checkConsecutive(row, changes.get(row), countersByRow[row]);
    }
    // Everything but the deps, in parallel: a change's body after its deps needs no other hash.
    byte[][] afterDeps = new byte[count][];
    IntStream.range(0, count)
        .parallel()
        .forEach(
            row -> {
              DocChange change = changes.get(row);
              afterDeps[row] =
                  ChangeChunks.encodeAfterDeps(
                      change.actor(),
                      change.seq(),
                      startOps[row],
                      change.time(),
                      change.message(),
                      opsByRow.get(row),
                      change.extraBytes().toBytes());
            });

    List<Change> out = new ArrayList<>(count);
    List<int[]> depRowsByRow = new ArrayList<>(count);
    BitSet referenced = new BitSet(count);
    for (int row = 0; row < count; row++) {
      DocChange change = changes.get(row);
      List<Integer> depRows = change.depRows();
      List<ChangeHash> deps = new ArrayList<>(depRows.size());
      int[] rows = new int[depRows.size()];
      for (int d = 0; d < rows.length; d++) {
        int dep = depRows.get(d);
        if (dep >= row) {
          throw new CorruptDataException(
              "change row " + row + " depends on row " + dep + ", which is not an earlier change");
        }
        deps.add(out.get(dep).hash());
        referenced.set(dep);
        rows[d] = dep;
      }
      depRowsByRow.add(rows);
      out.add(
          ChangeChunks.encodeWithDeps(
              change.actor(),
              change.seq(),
              startOps[row],
              change.time(),
              change.message(),
              deps,
              opsByRow.get(row),
              change.extraBytes().toBytes(),
              afterDeps[row]));
      afterDeps[row] = null;
    }
    List<ChangeHash> heads = checkHeads(document, out, referenced);
    return new Rebuilt(out, depRowsByRow, heads);
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

  private static int rowFor(OpId id, Map<ActorId, long[]> ranges) {
    long[] pairs = ranges.get(id.actor());
    if (pairs != null) {
      int low = 0;
      int high = pairs.length / 2;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (pairs[2 * middle] < id.counter()) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      if (low < pairs.length / 2) {
        return (int) pairs[2 * low + 1];
      }
    }
    throw new CorruptDataException("mismatching heads: op " + id + " belongs to no change");
  }

  private static long checkConsecutive(int row, DocChange change, long[] counters) {
    if (counters.length == 0) {
      return change.maxOp() + 1;
    }
    long startOp = counters[0];
    for (int i = 0; i < counters.length; i++) {
      if (counters[i] != startOp + i) {
        throw new CorruptDataException(
            "mismatching heads: change row " + row + " is missing op counter " + (startOp + i));
      }
    }
    if (counters[counters.length - 1] != change.maxOp()) {
      throw new CorruptDataException(
          "mismatching heads: change row "
              + row
              + " has maxOp "
              + change.maxOp()
              + " but its last op is "
              + counters[counters.length - 1]);
    }
    return startOp;
  }

  private static List<ChangeHash> checkHeads(
      DecodedDocument document, List<Change> out, BitSet referenced) {
    TreeSet<ChangeHash> heads = new TreeSet<>();
    for (int row = 0; row < out.size(); row++) {
      if (!referenced.get(row)) {
        heads.add(out.get(row).hash());
      }
    }
    List<ChangeHash> computed = List.copyOf(heads);
    List<ChangeHash> stored = List.copyOf(new TreeSet<>(document.heads()));
    if (!computed.equals(stored)) {
      throw new CorruptDataException(
          "mismatching heads: stored " + stored + ", rebuilt changes give " + computed);
    }
    List<Integer> headRows = document.headRows();
    for (int i = 0; i < headRows.size(); i++) {
      if (!out.get(headRows.get(i)).hash().equals(document.heads().get(i))) {
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
