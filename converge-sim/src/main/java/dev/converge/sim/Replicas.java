package dev.converge.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The replicas of one run, by index.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class Replicas implements Iterable<Replica> {
  private final Replica[] replicas;

  /**
   * Creates {@code count} replicas, each drawing its first actor from {@code random} in turn; the
   * last {@code v1OnlyCount} of them speak only version 1 of the sync protocol.
   */
  Replicas(
      int count,
      int v1OnlyCount,
      SplittableRandom random,
      LongSupplier now,
      PlantedBug plantedBug) {
    replicas = new Replica[count];
    for (int i = 0; i < count; i++) {
      SyncProtocol protocol =
          i >= count - v1OnlyCount ? SyncProtocol.V1_ONLY : SyncProtocol.CURRENT;
      replicas[i] = new Replica(i, protocol, random, now, plantedBug);
    }
  }

  Replica get(int index) {
    return replicas[index];
  }

  int count() {
    return replicas.length;
  }

  @Override
  public Iterator<Replica> iterator() {
    return Arrays.asList(replicas).iterator();
  }

  /** A replica that is up, drawn from {@code random}; empty when all are down. */
  Optional<Replica> randomUp(SplittableRandom random) {
    List<Replica> up = new ArrayList<>();
    for (Replica replica : replicas) {
      if (replica.isUp()) {
        up.add(replica);
      }
    }
    return up.isEmpty() ? Optional.empty() : Optional.of(up.get(random.nextInt(up.size())));
  }
}
