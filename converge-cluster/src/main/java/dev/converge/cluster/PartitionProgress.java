package dev.converge.cluster;

import dev.converge.repo.DocumentId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a node has applied one partition of the changes topic. A record whose changes wait for
 * dependencies the document lacks is not applied yet: the offset the node stores (and a snapshot
 * covers) stays at the first such record until its changes are applied, so a restart reads it again
 * instead of losing what waited in memory.
 *
 * <p>Thread-safety: {@link #storable}, {@link #applied}, {@link #passed} and {@link #storedUpTo}
 * from the consumer's thread only; {@link #coveredOffset} and {@link #drainChanged} from any.
 */
final class PartitionProgress {
  /** The offset of the first record still waiting, per document; the consumer's thread only. */
  private final Map<DocumentId, Long> waiting = new HashMap<>();

  private final Set<DocumentId> changed = ConcurrentHashMap.newKeySet();
  private volatile long covered;
  private long stored;

  /** Starts at {@code offset}: every record before it is applied and stored. */
  PartitionProgress(long offset) {
    covered = offset;
    stored = offset;
  }

  /**
   * The offset to store with the record at {@code offset}: not past it, since whether its own
   * changes will wait is known only after they are applied, nor past the first record still
   * waiting.
   */
  long storable(long offset) {
    return Math.min(offset, firstWaiting());
  }

  /** The record at {@code offset}, of document {@code id}, was applied. */
  void applied(DocumentId id, long offset, boolean documentWaits, boolean gainedChanges) {
    if (documentWaits) {
      waiting.putIfAbsent(id, offset);
    } else {
      waiting.remove(id);
    }
    if (gainedChanges) {
      changed.add(id);
    }
    covered = Math.min(offset + 1, firstWaiting());
  }

  /** The record at {@code offset} was passed over (not a document's, or refused). */
  void passed(long offset) {
    covered = Math.min(offset + 1, firstWaiting());
  }

  /**
   * Every record before this offset is applied: the offset to store at the end of a batch, and the
   * one a snapshot taken now covers.
   */
  long coveredOffset() {
    return covered;
  }

  /** Whether {@link #coveredOffset} is past what is stored; if so, records it as stored. */
  boolean storedUpTo(long offset) {
    if (offset <= stored) {
      return false;
    }
    stored = offset;
    return true;
  }

  /** The documents that gained changes since the last call. */
  List<DocumentId> drainChanged() {
    List<DocumentId> drained = List.copyOf(changed);
    changed.removeAll(drained);
    return drained;
  }

  private long firstWaiting() {
    long first = Long.MAX_VALUE;
    for (long offset : waiting.values()) {
      first = Math.min(first, offset);
    }
    return first;
  }
}
