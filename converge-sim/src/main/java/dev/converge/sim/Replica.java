package dev.converge.sim;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.HybridClock;
import dev.converge.core.LoadOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One replica: a document, its simulated disk and wall clock, and what it has acknowledged.
 *
 * <p>Durability: every change to the document is appended to the disk as an incremental save,
 * together with the peers' encoded sync states; a local change is acknowledged to its author only
 * once a {@link #sync()} made it durable. A crash loses the document in memory and possibly the
 * unsynced tail of the disk, in whole or in part (a torn record, which the restart detects and
 * drops); a restart loads what the disk kept into a new document under a new actor (an
 * incarnation), because the lost tail may have held changes already sent to peers and reusing the
 * actor would reuse their sequence numbers. Its {@link HybridClock} is lost too: the new one
 * observes the stored changes as they load and recovers from the latest of the device's own (its
 * actors share their first byte, the replica's index).
 *
 * <p>Rot: a bit flipped in the synced part of the disk ({@link #rotDisk}) makes the record holding
 * it fail its checksum at the next restart, which then keeps only the records before it. The
 * acknowledged changes lost that way are awaiting repair: the replica must get them back from its
 * peers by syncing, and the simulator only flips bits where a peer holds a clean durable copy of
 * every acknowledged change the replica has ({@link SimFaults#flipBit}).
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class Replica {
  final int index;
  private final SyncProtocol protocol;
  private final SplittableRandom random;
  private final PlantedBug plantedBug;
  private final SimDisk disk = new SimDisk();
  private final LongSupplier now;
  private long clockOffsetMillis;
  // Lost with the process: a restart makes a new one, recovered from the stored changes.
  private HybridClock clock;
  private int incarnation;
  private boolean up = true;
  private Document doc;

  /** Encoded sync state per peer index: the shared heads a reconnect starts from. */
  private final Map<Integer, byte[]> syncStates = new TreeMap<>();

  /** Local changes written but not yet durable. */
  private final List<ChangeHash> unacknowledged = new ArrayList<>();

  /** Local changes acknowledged to their author, over all incarnations. */
  private final Set<ChangeHash> acknowledged = new LinkedHashSet<>();

  /**
   * Acknowledged changes a restart lost to a corrupt record, until a peer sent them back and they
   * are durable again.
   */
  private final Set<ChangeHash> awaitingRepair = new LinkedHashSet<>();

  private int repairedFromPeers;

  private List<ChangeHash> headsWritten = List.of();

  Replica(
      int index,
      SyncProtocol protocol,
      SplittableRandom random,
      LongSupplier now,
      PlantedBug plantedBug) {
    this.index = index;
    this.protocol = protocol;
    this.random = random;
    this.now = now;
    this.plantedBug = plantedBug;
    this.clock = HybridClock.of(this::wallClockMillis);
    this.doc = Document.create(newActor(), clock);
  }

  private ActorId newActor() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] = (byte) index;
    bytes[1] = (byte) incarnation;
    return ActorId.of(bytes);
  }

  /** Whether {@code actor} is one of this replica's actors, of any incarnation. */
  boolean isOwn(ActorId actor) {
    return actor.byteAt(0) == (byte) index;
  }

  /** The clock stamping this incarnation's changes. */
  HybridClock clock() {
    return clock;
  }

  /** This replica's wall clock: simulated time plus whatever jumps it took, either way. */
  long wallClockMillis() {
    return now.getAsLong() + clockOffsetMillis;
  }

  void jumpClock(long millis) {
    clockOffsetMillis += millis;
  }

  Document doc() {
    return doc;
  }

  SyncProtocol protocol() {
    return protocol;
  }

  boolean isUp() {
    return up;
  }

  int incarnation() {
    return incarnation;
  }

  /** Records a local change: written at once, acknowledged when durable. */
  void localChangeWritten(ChangeHash hash) {
    unacknowledged.add(hash);
    write();
    if (plantedBug == PlantedBug.ACK_BEFORE_DURABLE) {
      acknowledged.addAll(unacknowledged);
      unacknowledged.clear();
    }
  }

  /** Appends what changed in the document since the last write, if anything. */
  void write() {
    List<ChangeHash> heads = doc.heads();
    if (heads.equals(headsWritten)) {
      return;
    }
    disk.append(doc.saveIncremental(), syncStates);
    headsWritten = heads;
  }

  /** The encoded sync state for {@code peer}, empty bytes if never synced. */
  byte[] syncState(int peer) {
    return syncStates.getOrDefault(peer, new byte[0]);
  }

  /** Keeps a session's shared heads for the next session with {@code peer}. */
  void keepSyncState(int peer, byte[] encoded) {
    syncStates.put(peer, encoded);
  }

  /**
   * Makes every write durable and acknowledges the local changes it holds; compacts the log into
   * one whole save when it has grown long.
   */
  void sync() {
    write();
    disk.sync();
    acknowledged.addAll(unacknowledged);
    unacknowledged.clear();
    if (!awaitingRepair.isEmpty()) {
      // Repaired once durable again: a crash before this sync would lose what a peer sent back.
      int before = awaitingRepair.size();
      awaitingRepair.removeIf(doc::hasChange);
      repairedFromPeers += before - awaitingRepair.size();
    }
    if (disk.recordCount() > 32) {
      disk.compact(doc.save(), syncStates);
    }
  }

  /**
   * Power loss and process death.
   *
   * @return how many unsynced disk records were lost
   */
  int crash() {
    up = false;
    unacknowledged.clear();
    return disk.crash(random);
  }

  /**
   * Starts again from the whole records the disk kept, under a new actor, with the sync states
   * persisted in the last of them (a reconnect starts each session from those shared heads). A
   * record torn by the crash fails its length or checksum check and is dropped with the rest of the
   * tail, which the compaction here then overwrites.
   *
   * <p>A corrupt record (a bit flipped after it was synced) is dropped in the same way, and every
   * acknowledged change it took with it awaits repair from the peers.
   *
   * @return what the read found: nothing wrong, a torn record, or a corrupt one
   */
  SimDisk.Damage restart() {
    incarnation++;
    SimDisk.Contents contents = disk.read();
    clock = HybridClock.of(this::wallClockMillis);
    Document restored = Document.create(newActor(), clock);
    for (SimDisk.Write record : contents.records()) {
      restored.loadIncremental(record.chunks(), LoadOptions.DEFAULT);
    }
    if (plantedBug != PlantedBug.CLOCK_FORGOTTEN_ON_RESTART) {
      recoverClock(restored);
    }
    doc = restored;
    syncStates.clear();
    if (!contents.records().isEmpty()) {
      syncStates.putAll(contents.records().get(contents.records().size() - 1).syncStates());
    }
    disk.compact(doc.save(), syncStates);
    headsWritten = doc.heads();
    up = true;
    if (contents.damage() == SimDisk.Damage.CORRUPT) {
      for (ChangeHash hash : acknowledged) {
        if (!doc.hasChange(hash)) {
          awaitingRepair.add(hash);
        }
      }
    }
    return contents.damage();
  }

  /** Flips a random bit of the synced part of the disk; false when nothing is synced yet. */
  boolean rotDisk() {
    return disk.flipDurableBit(random) >= 0;
  }

  /**
   * Whether the disk holds, durably and uncorrupted, exactly what the document holds: the replica
   * is up, every write is synced, and no bit has flipped since.
   */
  boolean hasCleanDurableCopy() {
    return up && !disk.hasUnsynced() && !disk.hasFlippedBits();
  }

  /** Whether an acknowledged change was lost to a corrupt record and not yet sent back. */
  boolean isAwaitingRepair(ChangeHash hash) {
    return awaitingRepair.contains(hash);
  }

  /** Acknowledged changes that came back from peers after a corrupt record lost them. */
  int repairedFromPeers() {
    return repairedFromPeers;
  }

  /**
   * Raises the new clock to the latest time among this device's own stored changes, which it trusts
   * even when its wall clock has since gone back further than the clock's bound.
   */
  private void recoverClock(Document restored) {
    restored.changes().stream()
        .filter(change -> isOwn(change.actor()))
        .mapToLong(Change::time)
        .max()
        .ifPresent(clock::recover);
  }

  /** Local changes acknowledged to their author, over all incarnations. */
  Set<ChangeHash> acknowledged() {
    return acknowledged;
  }

  int unacknowledgedCount() {
    return unacknowledged.size();
  }
}
