package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * A document's change rows in columns of primitives, as they are decoded, for the same reason as
 * {@link DocOps}: a load keeps every row until the changes are rebuilt, and a few large arrays cost
 * a young collection nothing to keep. As a list it shows each row as a {@link DocChange}.
 *
 * <p>Filled once by its reader, read-only afterwards.
 */
public final class DocChanges extends AbstractList<DocChange> implements RandomAccess {
  private static final byte[] NO_BYTES = new byte[0];

  private final List<ActorId> actors;
  private int size;
  private int[] actor;
  private long[] seq;
  private long[] maxOp;
  private long[] time;
  private String[] message;
  private byte[][] extra;
  private int[] depEnd;
  private int depSize;
  private int[] depRows;

  DocChanges(List<ActorId> actors, int capacity) {
    this(actors, capacity, capacity);
  }

  /** Room for {@code capacity} changes and {@code depCapacity} dependency entries; both grow. */
  DocChanges(List<ActorId> actors, int capacity, int depCapacity) {
    this.actors = List.copyOf(actors);
    int n = Math.max(capacity, 16);
    actor = new int[n];
    seq = new long[n];
    maxOp = new long[n];
    time = new long[n];
    message = new String[n];
    extra = new byte[n][];
    depEnd = new int[n];
    depRows = new int[Math.max(depCapacity, 16)];
  }

  /** {@code changes} as columns; their actors must be in {@code actors}. */
  static DocChanges of(List<DocChange> changes, List<ActorId> actors) {
    if (changes instanceof DocChanges columns && columns.actors.equals(actors)) {
      return columns;
    }
    Map<ActorId, Integer> indexes = new HashMap<>();
    for (int i = 0; i < actors.size(); i++) {
      indexes.put(actors.get(i), i);
    }
    DocChanges columns = new DocChanges(actors, changes.size());
    for (DocChange change : changes) {
      Integer index = indexes.get(change.actor());
      if (index == null) {
        throw new IllegalArgumentException(
            "change by " + change.actor() + ", who is not in the actor list");
      }
      columns.add(
          index,
          change.seq(),
          change.maxOp(),
          change.time(),
          change.message().orElse(null),
          change.extraBytes().toBytes());
      for (int dep : change.depRows()) {
        columns.addDep(dep);
      }
    }
    return columns;
  }

  /**
   * Empty columns for an exporter to fill row by row ({@link #add}, {@link #addDep}), with actors
   * as indexes into {@code actors}; read-only once filled.
   */
  public static DocChanges withCapacity(List<ActorId> actors, int capacity, int depCapacity) {
    return new DocChanges(actors, capacity, depCapacity);
  }

  /**
   * Adds a row with no deps yet; {@code text} null for no message, {@code bytes} empty for none.
   */
  public void add(
      int actorIndex,
      long changeSeq,
      long changeMaxOp,
      long changeTime,
      @Nullable String text,
      byte[] bytes) {
    if (size == actor.length) {
      grow();
    }
    actor[size] = actorIndex;
    seq[size] = changeSeq;
    maxOp[size] = changeMaxOp;
    time[size] = changeTime;
    message[size] = text;
    extra[size] = bytes.length == 0 ? null : bytes;
    depEnd[size] = depSize;
    size++;
  }

  /** Sets a row's extra bytes, which the caller hands over. */
  void setExtraBytes(int row, byte[] bytes) {
    extra[row] = bytes.length == 0 ? null : bytes;
  }

  /** Adds a dependency row to the last row. */
  public void addDep(int row) {
    if (depSize == depRows.length) {
      depRows = Arrays.copyOf(depRows, depSize * 2);
    }
    depRows[depSize++] = row;
    depEnd[size - 1] = depSize;
  }

  private void grow() {
    int n = actor.length * 2;
    actor = Arrays.copyOf(actor, n);
    seq = Arrays.copyOf(seq, n);
    maxOp = Arrays.copyOf(maxOp, n);
    time = Arrays.copyOf(time, n);
    message = Arrays.copyOf(message, n);
    extra = Arrays.copyOf(extra, n);
    depEnd = Arrays.copyOf(depEnd, n);
  }

  @Override
  public int size() {
    return size;
  }

  public ActorId actor(int row) {
    return actors.get(actor[row]);
  }

  /** The author as an index into the document's actors. */
  public int actorIndex(int row) {
    return actor[row];
  }

  public long seq(int row) {
    return seq[row];
  }

  public long maxOp(int row) {
    return maxOp[row];
  }

  public long time(int row) {
    return time[row];
  }

  public Optional<String> message(int row) {
    return Optional.ofNullable(message[row]);
  }

  /** The row's extra bytes; the array is shared, not to be written. */
  byte[] extraBytes(int row) {
    return extra[row] == null ? NO_BYTES : extra[row];
  }

  public int depCount(int row) {
    return depEnd[row] - depFrom(row);
  }

  /** The row's {@code index}th dependency row. */
  public int depRow(int row, int index) {
    return depRows[depFrom(row) + index];
  }

  private int depFrom(int row) {
    return row == 0 ? 0 : depEnd[row - 1];
  }

  @Override
  public DocChange get(int row) {
    if (row < 0 || row >= size) {
      throw new IndexOutOfBoundsException(row);
    }
    List<Integer> deps = new ArrayList<>(depCount(row));
    for (int d = 0; d < depCount(row); d++) {
      deps.add(depRow(row, d));
    }
    return new DocChange(
        actor(row),
        seq[row],
        maxOp[row],
        time[row],
        message(row),
        deps,
        DocChange.ExtraBytes.of(extraBytes(row)));
  }
}
