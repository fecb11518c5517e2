package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The simulator's seeds in the build: 2,000 short runs, each with its own fault profile, replica
 * count (2 to 8, drawn from the seed) and schedule.
 *
 * <p>How: {@link SeedRange} runs every seed through {@link Simulation} on two threads; each run is
 * independent and deterministic, so threads change nothing but the wall time. A failure lists each
 * failing seed's report, ending with the command that replays it ({@code converge sim --seed S
 * --steps N --replicas R}). The long run ({@code converge sim --seeds 1..100000}) is a separate
 * command, not part of the build.
 */
class SimulationSeedsTest {
  static final int SEEDS = 2_000;
  static final int STEPS = 80;

  static SimOptions options(long seed) {
    int replicas = SimOptions.REPLICAS_MIN + Math.floorMod(seed * 7919, 7);
    return SimOptions.of(seed, STEPS, replicas);
  }

  @Test
  void seeds_manyFaultProfiles_allConverge() throws InterruptedException {
    SeedRange.Outcome outcome =
        SeedRange.run(1, SEEDS, SimulationSeedsTest::options, 2, done -> {});
    assertEquals(
        0,
        outcome.failed(),
        () ->
            outcome.failed()
                + " of "
                + SEEDS
                + " seeds failed:\n"
                + outcome.failures().stream()
                    .limit(10)
                    .map(SimResult::report)
                    .collect(Collectors.joining("\n")));
    assertEquals(SEEDS, outcome.passed());
  }

  @Test
  void run_sameSeed_sameResult() {
    SimOptions options = SimOptions.of(42, 150, 4);
    SimResult first = Simulation.run(options);
    SimResult second = Simulation.run(options);
    assertEquals(first, second);
    assertTrue(first.passed(), first::report);
  }

  @Test
  void run_longerSeeds_exerciseEveryFault() {
    long crashes = 0;
    long partitions = 0;
    long clockJumps = 0;
    long dropped = 0;
    long duplicated = 0;
    long corruptRecordsFound = 0;
    long repairedFromPeers = 0;
    long readAsV1 = 0;
    for (long seed = 1; seed <= 20; seed++) {
      SimResult result = Simulation.run(SimOptions.of(seed, 400, 3));
      assertTrue(result.passed(), result::report);
      String summary = result.summary();
      crashes += count(summary, "crashes ");
      partitions += count(summary, "partitions ");
      clockJumps += count(summary, "clock jumps ");
      dropped += count(summary, " dropped ");
      duplicated += count(summary, " duplicated ");
      corruptRecordsFound += count(summary, "corrupt records found at restart ");
      repairedFromPeers += count(summary, "acknowledged changes repaired from peers ");
      readAsV1 += count(summary, " read by a v1-only replica ");
    }
    assertTrue(crashes > 0, "no crash in 20 seeds");
    assertTrue(partitions > 0, "no partition in 20 seeds");
    assertTrue(clockJumps > 0, "no clock jump in 20 seeds");
    assertTrue(dropped > 0, "no dropped message in 20 seeds");
    assertTrue(duplicated > 0, "no duplicated message in 20 seeds");
    assertTrue(corruptRecordsFound > 0, "no bit flip found by a checksum in 20 seeds");
    assertTrue(repairedFromPeers > 0, "no acknowledged change repaired from a peer in 20 seeds");
    assertTrue(readAsV1 > 0, "no message read by a v1-only replica in 20 seeds");
  }

  /** The number after {@code label} in a summary line. */
  private static long count(String summary, String label) {
    int start = summary.indexOf(label) + label.length();
    int end = start;
    while (end < summary.length() && Character.isDigit(summary.charAt(end))) {
      end++;
    }
    return Long.parseLong(summary.substring(start, end));
  }
}
