package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.change.EncodableOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A document's ops turned back into change ops and grouped by the change that made them (format
 * §2.9): successors become preds, a successor that is not a stored op was a delete and becomes a
 * {@code del} op on the same object and key (the element itself, for an insert), and each op goes
 * to the change {@link ChangeRanges} finds for it, or to none.
 *
 * <p>Everything is kept in int and long arrays indexed by op: stored ops first, in document order,
 * then the deletes in the order they are first named. Change ops are made only when a row's body is
 * written, a block at a time.
 */
final class OpsByChange {
  private final DocOps ops;
  private final int stored;
  private int deletes;
  private int[] deleteActor;
  private long[] deleteCounter;
  private int[] deleteSource;
  private int[] predStart;
  private int[] preds;
  private final int[] rowStart;
  private final int[] byRow;
  private final long[] startOps;

  private OpsByChange(DocOps ops, int changeCount) {
    this.ops = ops;
    this.stored = ops.size();
    this.rowStart = new int[changeCount + 1];
    this.startOps = new long[changeCount];
    this.byRow = new int[0];
    // Each delete is named by at least one successor.
    int room = Math.max(16, ops.size() == 0 ? 0 : ops.succTo(ops.size() - 1));
    this.deleteActor = new int[room];
    this.deleteCounter = new long[room];
    this.deleteSource = new int[room];
    // Filled by collectPreds.
    this.predStart = new int[1];
    this.preds = new int[0];
  }

  private OpsByChange(OpsByChange from, int[] byRow) {
    this.ops = from.ops;
    this.stored = from.stored;
    this.deletes = from.deletes;
    this.deleteActor = from.deleteActor;
    this.deleteCounter = from.deleteCounter;
    this.deleteSource = from.deleteSource;
    this.predStart = from.predStart;
    this.preds = from.preds;
    this.rowStart = from.rowStart;
    this.startOps = from.startOps;
    this.byRow = byRow;
  }

  /**
   * Groups {@code ops} by the rows of {@code changes}.
   *
   * @throws CorruptDataException if an op is stored twice, a change's maxOp is below a dep's, or a
   *     change's ops are not consecutive counters ending at its maxOp
   */
  static OpsByChange group(DocOps ops, DocChanges changes) {
    OpsByChange grouping = new OpsByChange(ops, changes.size());
    grouping.collectPreds();
    return new OpsByChange(grouping, grouping.placeByRow(changes));
  }

  /** The counter of the row's first op; {@code maxOp + 1} for a change with none. */
  long startOp(int row) {
    return startOps[row];
  }

  /** The row's change ops, in counter order. */
  List<ChangeOp> changeOps(int row) {
    List<ChangeOp> result = new ArrayList<>(rowStart[row + 1] - rowStart[row]);
    for (int i = rowStart[row]; i < rowStart[row + 1]; i++) {
      result.add(changeOp(byRow[i]));
    }
    return result;
  }

  /** A view of one row's ops for the encoder; reset it to each row in turn. */
  RowOps rowOps() {
    return new RowOps();
  }

  /** The ops of one row, read from the columns: what {@link #changeOps} shows, without objects. */
  final class RowOps implements EncodableOps {
    private final ActorId[] actors = ops.actors().toArray(new ActorId[0]);
    private int from;
    private int size;

    /** Shows the ops of {@code row} from now on. */
    RowOps of(int row) {
      from = rowStart[row];
      size = rowStart[row + 1] - from;
      return this;
    }

    private int op(int i) {
      return byRow[from + i];
    }

    /** The stored op that holds the object and key: the op itself, or what a delete removes. */
    private int holder(int i) {
      int op = op(i);
      return op < stored ? op : deleteSource[op - stored];
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public @Nullable ActorId objActor(int i) {
      int actor = ops.objActor(holder(i));
      return actor < 0 ? null : actors[actor];
    }

    @Override
    public long objCounter(int i) {
      return ops.objCounter(holder(i));
    }

    @Override
    public @Nullable String keyProp(int i) {
      int holder = holder(i);
      // A delete of an inserted element names the element itself.
      return op(i) >= stored && ops.insert(holder) ? null : ops.keyProp(holder);
    }

    @Override
    public @Nullable ActorId keyActor(int i) {
      int holder = holder(i);
      int actor =
          op(i) >= stored && ops.insert(holder) ? ops.idActor(holder) : ops.keyActor(holder);
      return actor < 0 ? null : actors[actor];
    }

    @Override
    public long keyCounter(int i) {
      int holder = holder(i);
      return op(i) >= stored && ops.insert(holder) ? ops.idCounter(holder) : ops.keyCounter(holder);
    }

    @Override
    public boolean insert(int i) {
      int op = op(i);
      return op < stored && ops.insert(op);
    }

    @Override
    public Action action(int i) {
      int op = op(i);
      return op < stored ? ops.action(op) : Action.DELETE;
    }

    @Override
    public ScalarValue value(int i) {
      int op = op(i);
      return op < stored ? ops.value(op) : ScalarValue.NULL;
    }

    @Override
    public int predCount(int i) {
      int op = op(i);
      return predStart[op + 1] - predStart[op];
    }

    @Override
    public ActorId predActor(int i, int p) {
      return actors[ops.idActor(preds[predStart[op(i)] + p])];
    }

    @Override
    public long predCounter(int i, int p) {
      return ops.idCounter(preds[predStart[op(i)] + p]);
    }

    @Override
    public boolean expand(int i) {
      int op = op(i);
      return op < stored && ops.expand(op);
    }

    @Override
    public @Nullable String markName(int i) {
      int op = op(i);
      return op < stored ? ops.markName(op) : null;
    }
  }

  private int opCount() {
    return stored + deletes;
  }

  private int actorOf(int op) {
    return op < stored ? ops.idActor(op) : deleteActor[op - stored];
  }

  private long counterOf(int op) {
    return op < stored ? ops.idCounter(op) : deleteCounter[op - stored];
  }

  /** Finds every successor's op, making the deletes, and lists each op's preds. */
  private void collectPreds() {
    int successors = stored == 0 ? 0 : ops.succTo(stored - 1);
    // Every op and every delete: a successor that is no stored op is a delete.
    OpIdIndex ids = OpIdIndex.forIdsOf(ops);
    for (int op = 0; op < stored; op++) {
      if (!ids.putIfAbsent(ops.idActor(op), ops.idCounter(op), op)) {
        throw new CorruptDataException(
            "op " + ops.opId(ops.idActor(op), ops.idCounter(op)) + " is stored twice");
      }
    }
    int[] target = new int[successors];
    for (int op = 0; op < stored; op++) {
      for (int s = ops.succFrom(op); s < ops.succTo(op); s++) {
        int found = ids.get(ops.succActor(s), ops.succCounter(s));
        if (found < 0) {
          found = addDelete(ops.succActor(s), ops.succCounter(s), op);
          ids.putIfAbsent(ops.succActor(s), ops.succCounter(s), found);
        }
        target[s] = found;
      }
    }
    predStart = new int[opCount() + 1];
    for (int t : target) {
      predStart[t + 1]++;
    }
    for (int op = 0; op < opCount(); op++) {
      predStart[op + 1] += predStart[op];
    }
    preds = new int[successors];
    int[] fill = Arrays.copyOf(predStart, opCount());
    for (int op = 0; op < stored; op++) {
      for (int s = ops.succFrom(op); s < ops.succTo(op); s++) {
        preds[fill[target[s]]++] = op;
      }
    }
    for (int op = 0; op < opCount(); op++) {
      if (predStart[op + 1] - predStart[op] > 1) {
        sortPreds(predStart[op], predStart[op + 1]);
      }
    }
  }

  /** Orders preds {@code from..to} by op id, as a change lists them; few ops have two or more. */
  private void sortPreds(int from, int to) {
    for (int i = from + 1; i < to; i++) {
      int pred = preds[i];
      int j = i - 1;
      while (j >= from && compareIds(preds[j], pred) > 0) {
        preds[j + 1] = preds[j];
        j--;
      }
      preds[j + 1] = pred;
    }
  }

  private int compareIds(int storedA, int storedB) {
    int byCounter = Long.compare(ops.idCounter(storedA), ops.idCounter(storedB));
    if (byCounter != 0) {
      return byCounter;
    }
    List<ActorId> actors = ops.actors();
    return actors.get(ops.idActor(storedA)).compareTo(actors.get(ops.idActor(storedB)));
  }

  private int addDelete(int actor, long counter, int source) {
    if (deletes == deleteActor.length) {
      deleteActor = Arrays.copyOf(deleteActor, deletes * 2);
      deleteCounter = Arrays.copyOf(deleteCounter, deletes * 2);
      deleteSource = Arrays.copyOf(deleteSource, deletes * 2);
    }
    deleteActor[deletes] = actor;
    deleteCounter[deletes] = counter;
    deleteSource[deletes] = source;
    return stored + deletes++;
  }

  /**
   * Puts each op in the row {@link ChangeRanges} finds for it, each row's ops by counter; an op no
   * row holds is left out of every change. A row's ops must be consecutive counters ending at its
   * maxOp (JavaScript: "missing ops"); counters before them in its range are allowed, since a
   * change may start above the counter after its deps' maxOp.
   */
  private int[] placeByRow(DocChanges changes) {
    ChangeRanges ranges = new ChangeRanges(changes, ops.actors().size(), opCount());
    int total = opCount();
    int rows = changes.size();
    int[] rowOf = new int[total];
    long[] firstCounter = new long[rows];
    Arrays.fill(firstCounter, Long.MAX_VALUE);
    for (int op = 0; op < total; op++) {
      int row = ranges.rowFor(actorOf(op), counterOf(op));
      rowOf[op] = row;
      if (row >= 0) {
        rowStart[row + 1]++;
        firstCounter[row] = Math.min(firstCounter[row], counterOf(op));
      }
    }
    for (int row = 0; row < rows; row++) {
      int count = rowStart[row + 1];
      long maxOp = changes.maxOp(row);
      if (count == 0 ? ranges.start(row) <= maxOp : firstCounter[row] != maxOp - count + 1) {
        throw new CorruptDataException(
            "missing ops: change row "
                + row
                + " holds "
                + count
                + " ops, which are not the consecutive counters up to its maxOp "
                + maxOp);
      }
      rowStart[row + 1] += rowStart[row];
      startOps[row] = maxOp - count + 1;
    }
    int[] placed = new int[rowStart[rows]];
    for (int op = 0; op < total; op++) {
      int row = rowOf[op];
      if (row >= 0) {
        placed[rowStart[row] + (int) (counterOf(op) - startOps[row])] = op;
      }
    }
    return placed;
  }

  private ChangeOp changeOp(int op) {
    OpId[] predIds = new OpId[predStart[op + 1] - predStart[op]];
    for (int p = 0; p < predIds.length; p++) {
      int pred = preds[predStart[op] + p];
      predIds[p] = ops.opId(ops.idActor(pred), ops.idCounter(pred));
    }
    List<OpId> pred = Arrays.asList(predIds);
    if (op < stored) {
      String mark = ops.markName(op);
      return new ChangeOp(
          objOf(op),
          ops.key(op),
          ops.insert(op),
          ops.action(op),
          ops.value(op),
          pred,
          ops.expand(op),
          mark == null ? Optional.empty() : Optional.of(mark));
    }
    int source = deleteSource[op - stored];
    Key key =
        ops.insert(source)
            ? Key.elem(ElemId.of(ops.opId(ops.idActor(source), ops.idCounter(source))))
            : ops.key(source);
    return new ChangeOp(
        objOf(source), key, false, Action.DELETE, ScalarValue.NULL, pred, false, Optional.empty());
  }

  private ObjId objOf(int storedOp) {
    int actor = ops.objActor(storedOp);
    return actor < 0 ? ObjId.ROOT : ObjId.of(ops.opId(actor, ops.objCounter(storedOp)));
  }
}
