package dev.converge.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One replica's simulated disk: an append-only log of records with fsync semantics.
 *
 * <p>Each record holds change chunks (a document's incremental save, or a whole save after
 * compaction) and, written atomically with them, the encoded sync states of the replica's peers, so
 * persisted shared heads never name changes the disk lacks (sync package, rule 4). Records up to
 * the last {@link #sync()} are durable. A {@link #crash} keeps the durable records and a random
 * prefix of the others: the unsynced tail may be lost, in whole or in part, never the synced part.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SimDisk {
  /** One write: chunks to load in order, and the sync states persisted with them. */
  static final class Write {
    private final byte[] chunks;
    private final Map<Integer, byte[]> syncStates;

    Write(byte[] chunks, Map<Integer, byte[]> syncStates) {
      this.chunks = chunks.clone();
      this.syncStates = new TreeMap<>(syncStates);
    }

    byte[] chunks() {
      return chunks.clone();
    }

    Map<Integer, byte[]> syncStates() {
      return new TreeMap<>(syncStates);
    }
  }

  private final List<Write> records = new ArrayList<>();
  private int durableCount;

  /** Appends a record; it is not durable until {@link #sync()}. */
  void append(byte[] chunks, Map<Integer, byte[]> syncStates) {
    records.add(new Write(chunks, syncStates));
  }

  /** Makes every record written so far durable. */
  void sync() {
    durableCount = records.size();
  }

  /** Whether some written records are not durable yet. */
  boolean hasUnsynced() {
    return durableCount < records.size();
  }

  /**
   * Replaces the whole log by one durable record, as an atomic rename of a compacted file would.
   * Only valid when the record holds everything the log held.
   */
  void compact(byte[] chunks, Map<Integer, byte[]> syncStates) {
    records.clear();
    records.add(new Write(chunks, syncStates));
    durableCount = 1;
  }

  /**
   * Power loss: keeps the durable records and a random prefix of the unsynced ones.
   *
   * @return how many unsynced records were lost
   */
  int crash(SplittableRandom random) {
    int unsynced = records.size() - durableCount;
    int kept = unsynced == 0 ? 0 : random.nextInt(unsynced + 1);
    int lost = unsynced - kept;
    records.subList(durableCount + kept, records.size()).clear();
    durableCount = records.size();
    return lost;
  }

  /** The records that survived, in write order. */
  List<Write> records() {
    return List.copyOf(records);
  }

  /** The sync states of the last surviving record, empty if none. */
  Map<Integer, byte[]> lastSyncStates() {
    return records.isEmpty() ? new TreeMap<>() : records.get(records.size() - 1).syncStates();
  }

  int recordCount() {
    return records.size();
  }
}
