package dev.converge.sim;

import java.util.SplittableRandom;

/**
 * How hostile one run is, drawn from the run's PRNG at the start ("swarm testing": each seed
 * stresses a different mix of faults instead of every seed stressing all of them a little).
 *
 * @param dropPercent chance that the network drops a message
 * @param duplicatePercent chance that the network delivers a message twice
 * @param delayMaxMillis the longest a message stays in flight; messages are picked in random order
 *     among those due, so delays also reorder them
 * @param crashWeight relative weight of crashing a replica among the step kinds
 * @param partitionWeight relative weight of splitting the network in two
 * @param clockJumpWeight relative weight of moving one replica's wall clock by an hour or a day,
 *     either way
 * @param syncOnWritePercent chance that a local change is made durable (and acknowledged) at once
 * @param sharedStart whether the replicas start from one shared base change (else each starts empty
 *     and creates the root objects concurrently)
 * @param bitFlipWeight relative weight of flipping a bit of a replica's synced disk
 * @param v1OnlyReplicas how many replicas (0 or 1, the one with the highest index) speak only
 *     version 1 of the sync protocol
 */
record FaultProfile(
    int dropPercent,
    int duplicatePercent,
    int delayMaxMillis,
    int crashWeight,
    int partitionWeight,
    int clockJumpWeight,
    int syncOnWritePercent,
    boolean sharedStart,
    int bitFlipWeight,
    int v1OnlyReplicas) {

  static FaultProfile draw(SplittableRandom random) {
    return new FaultProfile(
        pick(random, 0, 0, 1, 5, 15),
        pick(random, 0, 0, 1, 5, 15),
        pick(random, 0, 50, 2_000, 60_000),
        pick(random, 0, 1, 3),
        pick(random, 0, 1, 2),
        pick(random, 0, 1, 3),
        pick(random, 0, 50, 100),
        random.nextInt(4) != 0,
        pick(random, 0, 1, 3),
        pick(random, 0, 0, 0, 1));
  }

  private static int pick(SplittableRandom random, int... choices) {
    return choices[random.nextInt(choices.length)];
  }

  @Override
  public String toString() {
    return "drop "
        + dropPercent
        + "%, duplicate "
        + duplicatePercent
        + "%, delay up to "
        + delayMaxMillis
        + " ms, crash weight "
        + crashWeight
        + ", bit-flip weight "
        + bitFlipWeight
        + ", partition weight "
        + partitionWeight
        + ", clock-jump weight "
        + clockJumpWeight
        + ", sync on write "
        + syncOnWritePercent
        + "%, "
        + (sharedStart ? "shared start" : "empty start")
        + (v1OnlyReplicas > 0 ? ", the last replica speaks only sync protocol v1" : "");
  }
}
