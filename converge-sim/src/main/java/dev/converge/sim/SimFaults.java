package dev.converge.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The faults the simulator injects besides the network's own (drops, duplicates, delays): a replica
 * crashes (power loss and process death, losing its unsynced writes in whole or in part) or
 * restarts, the network splits in two, a replica's wall clock jumps an hour or a day either way.
 * When faults stop ({@link #stop}), every crashed replica restarts and the network heals.
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
      if (down.get(random.nextInt(down.size())).restart()) {
        stats.tornRecordsDropped++;
      }
    }
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
      if (!replica.isUp() && replica.restart()) {
        stats.tornRecordsDropped++;
      }
    }
  }
}
