package dev.converge.sim;

/**
 * What one simulator run does: the seed that drives every choice, how many steps of random
 * activity, how many replicas, and which bug (if any) is planted.
 *
 * @param seed drives the one PRNG of the run; the same options replay the same run
 * @param steps steps of random activity (edits, deliveries, faults) before the network heals
 * @param replicas how many replicas, 2 to 8
 * @param plantedBug a bug planted on purpose, {@link PlantedBug#NONE} outside canary tests
 * @param mode which simulator runs: plaintext replicas, or devices sharing a sealed document
 */
public record SimOptions(long seed, int steps, int replicas, PlantedBug plantedBug, SimMode mode) {
  public static final int REPLICAS_MIN = 2;
  public static final int REPLICAS_MAX = 8;

  /**
   * @throws IllegalArgumentException if steps is negative or replicas is outside 2 to 8
   */
  public SimOptions {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must not be negative, not " + steps);
    }
    if (replicas < REPLICAS_MIN || replicas > REPLICAS_MAX) {
      throw new IllegalArgumentException(
          "replicas must be " + REPLICAS_MIN + " to " + REPLICAS_MAX + ", not " + replicas);
    }
    if (plantedBug == null) {
      throw new IllegalArgumentException("plantedBug must not be null; use NONE");
    }
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (mode == SimMode.SEALED && plantedBug != PlantedBug.NONE) {
      throw new IllegalArgumentException("the sealed simulator plants no bug, found " + plantedBug);
    }
  }

  /** Options of the plaintext simulator. */
  public SimOptions(long seed, int steps, int replicas, PlantedBug plantedBug) {
    this(seed, steps, replicas, plantedBug, SimMode.PLAINTEXT);
  }

  /** Options of the sealed simulator. */
  public static SimOptions sealed(long seed, int steps, int replicas) {
    return new SimOptions(seed, steps, replicas, PlantedBug.NONE, SimMode.SEALED);
  }

  /** Runs the simulator these options name. */
  public SimResult run() {
    return mode == SimMode.SEALED ? SealedSimulation.run(this) : Simulation.run(this);
  }

  /** Options without a planted bug. */
  public static SimOptions of(long seed, int steps, int replicas) {
    return new SimOptions(seed, steps, replicas, PlantedBug.NONE);
  }

  /** The command that replays this run. */
  public String replayCommand() {
    return "converge sim "
        + (mode == SimMode.SEALED ? "--sealed " : "")
        + "--seed "
        + seed
        + " --steps "
        + steps
        + " --replicas "
        + replicas
        + (plantedBug == PlantedBug.NONE ? "" : " --plant " + plantedBug);
  }
}
