package dev.converge.sim;

import java.util.SplittableRandom;

/**
 * The faults of one sealed-simulation run, drawn from its seed as {@link FaultProfile} is for the
 * plaintext one: percentages per exchange for the network's faults, weights per step for restarts
 * and partitions. Faults happen only between {@link #start} (after the run's fault-free set-up) and
 * {@link #stop} (before its convergence phase).
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SealedFaults {
  private final int dropPercent;
  private final int reorderPercent;
  private final int duplicatePercent;
  private final int bitFlipPercent;
  private final int restartWeight;
  private final int partitionWeight;
  private boolean active;

  private SealedFaults(
      int dropPercent,
      int reorderPercent,
      int duplicatePercent,
      int bitFlipPercent,
      int restartWeight,
      int partitionWeight) {
    this.dropPercent = dropPercent;
    this.reorderPercent = reorderPercent;
    this.duplicatePercent = duplicatePercent;
    this.bitFlipPercent = bitFlipPercent;
    this.restartWeight = restartWeight;
    this.partitionWeight = partitionWeight;
  }

  static SealedFaults draw(SplittableRandom random) {
    return new SealedFaults(
        random.nextInt(25),
        random.nextInt(30),
        random.nextInt(20),
        random.nextInt(20),
        random.nextInt(8),
        random.nextInt(6));
  }

  /** Whether a fault of {@code percent} happens now: never while faults are off. */
  boolean roll(SplittableRandom random, int percent) {
    return active && random.nextInt(100) < percent;
  }

  boolean active() {
    return active;
  }

  void start() {
    active = true;
  }

  void stop() {
    active = false;
  }

  int dropPercent() {
    return dropPercent;
  }

  int reorderPercent() {
    return reorderPercent;
  }

  int duplicatePercent() {
    return duplicatePercent;
  }

  int bitFlipPercent() {
    return bitFlipPercent;
  }

  int restartWeight() {
    return restartWeight;
  }

  int partitionWeight() {
    return partitionWeight;
  }

  @Override
  public String toString() {
    return "drop "
        + dropPercent
        + "%, reorder "
        + reorderPercent
        + "%, duplicate "
        + duplicatePercent
        + "%, bit flip "
        + bitFlipPercent
        + "% per exchange; restart weight "
        + restartWeight
        + ", partition weight "
        + partitionWeight;
  }
}
