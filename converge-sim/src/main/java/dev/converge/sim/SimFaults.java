package dev.converge.sim;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The faults the simulator injects besides the network's own (drops, duplicates, delays): a replica
 * crashes (power loss and process death, losing its unsynced writes in whole or in part) or
 * restarts, a bit of a replica's synced disk flips, the network splits in two, a replica's wall
 * clock jumps an hour or a day either way. When faults stop ({@link #stop}), every crashed replica
 * restarts and the network heals.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SimFaults {
  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long[] CLOCK_JUMPS_MILLIS = {
    -24 * HOUR_MILLIS, -HOUR_MILLIS, HOUR_MILLIS, 24 * HOUR_MILLIS
  };

  private final Replicas replicas;
  private final SyncSessions sessions;
  private final SimNetwork network;
  private final SplittableRandom random;
  private final SimStats stats;

  SimFaults(
      Replicas replicas,
      SyncSessions sessions,
      SimNetwork network,
      SplittableRandom random,
      SimStats stats) {
    this.replicas = replicas;
    this.sessions = sessions;
    this.network = network;
    this.random = random;
    this.stats = stats;
  }

  /** A random replica that is up loses power; its sessions close. */
  void crash() {
    Optional<Replica> chosen = replicas.randomUp(random);
    if (chosen.isEmpty()) {
      return;
    }
    Replica replica = chosen.get();
    stats.crashes++;
    stats.recordsLost += replica.crash();
    sessions.closeAllOf(replica);
  }

  /** A random replica that is down starts again from what its disk kept. */
  void restart() {
    List<Replica> down = new ArrayList<>();
    for (Replica replica : replicas) {
      if (!replica.isUp()) {
        down.add(replica);
      }
    }
    if (!down.isEmpty()) {
      count(down.get(random.nextInt(down.size())).restart());
    }
  }

  private void count(SimDisk.Damage damage) {
    switch (damage) {
      case NONE -> {}
      case TORN -> stats.tornRecordsDropped++;
      case CORRUPT -> stats.corruptRecordsFound++;
    }
  }

  /**
   * Flips a bit of a random replica's synced disk, and the replica reads its disk again at once, as
   * a restart does (crashing it first if it is up), so it finds the corrupt record and drops it
   * with everything after it. Only when that cannot lose an acknowledged change for good: each
   * acknowledged change the replica's document holds (a superset of what its disk holds, up or
   * down) is also held by another replica that is up with every write synced and no bit flipped, as
   * TigerBeetle's simulator injects storage faults only where the cluster keeps a good copy.
   * Changes nobody acknowledged may be lost, as a crash may lose them.
   *
   * <p>The read follows the flip at once because a log read stops at its first corrupt record: a
   * disk that rotted unnoticed would lose the changes it acknowledged after the rot, whatever their
   * other copies, and no rule at the time of the flip could keep a good copy of those.
   */
  void flipBit() {
    Replica replica = replicas.get(random.nextInt(replicas.count()));
    Set<ChangeHash> acknowledged = new HashSet<>();
    for (Replica any : replicas) {
      acknowledged.addAll(any.acknowledged());
    }
    for (Change change : replica.doc().changes()) {
      if (acknowledged.contains(change.hash()) && !heldCleanlyElsewhere(replica, change.hash())) {
        return;
      }
    }
    if (!replica.rotDisk()) {
      return;
    }
    stats.bitFlips++;
    if (replica.isUp()) {
      stats.recordsLost += replica.crash();
      sessions.closeAllOf(replica);
    }
    count(replica.restart());
  }

  private boolean heldCleanlyElsewhere(Replica replica, ChangeHash hash) {
    for (Replica other : replicas) {
      if (other != replica && other.hasCleanDurableCopy() && other.doc().hasChange(hash)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Splits the replicas in two random non-empty sides, for 20 to 219 steps; nothing while a
   * partition holds.
   */
  void partition() {
    if (network.isPartitioned()) {
      return;
    }
    boolean[] side = new boolean[replicas.count()];
    side[0] = true;
    side[1] = false;
    for (int i = 2; i < side.length; i++) {
      side[i] = random.nextBoolean();
    }
    for (int i = side.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      boolean swap = side[i];
      side[i] = side[j];
      side[j] = swap;
    }
    network.partition(side, stats.steps + 20 + random.nextInt(200));
    stats.partitions++;
  }

  /** Moves a random replica's wall clock by an hour or a day, either way. */
  void jumpClock() {
    Replica replica = replicas.get(random.nextInt(replicas.count()));
    replica.jumpClock(CLOCK_JUMPS_MILLIS[random.nextInt(CLOCK_JUMPS_MILLIS.length)]);
    stats.clockJumps++;
  }

  /** Faults stop: the network heals and stops losing messages, crashed replicas restart. */
  void stop() {
    network.stopFaults();
    for (Replica replica : replicas) {
      if (!replica.isUp()) {
        count(replica.restart());
      }
    }
  }
}
