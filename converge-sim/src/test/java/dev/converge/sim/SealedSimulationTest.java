package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Sealed documents under the simulator's faults, in the build: a few seeds, each with its own fault
 * profile and device count, must converge (same heads, same value, every change made).
 *
 * <p>How: {@link SealedSimulation} runs the production sealed code (devices' stores and the relay
 * on SQLite in a temporary directory) through {@link FaultyRelayChannel}; the summary counts every
 * fault, and the longer test checks that each kind happened at least once, so a fault that stopped
 * firing is noticed. A failure's report ends with the command that replays it ({@code converge sim
 * --sealed --seed S --steps N --replicas R}); longer runs are {@code converge sim --sealed --seeds
 * A..B}, not part of the build.
 */
class SealedSimulationTest {
  @Test
  void seeds_fewFaultProfiles_allConverge() throws InterruptedException {
    SeedRange.Outcome outcome =
        SeedRange.run(
            1, 4, seed -> SimOptions.sealed(seed, 50, 2 + (int) (seed % 3)), 1, done -> {});
    assertEquals(
        0,
        outcome.failed(),
        () -> outcome.failures().isEmpty() ? "" : outcome.failures().get(0).report());
  }

  @Test
  void run_sameSeed_sameResult() {
    SimOptions options = SimOptions.sealed(7, 40, 3);
    SimResult first = options.run();
    SimResult second = options.run();
    assertTrue(first.passed(), first::report);
    assertEquals(first, second);
  }

  @Test
  void run_longerSeeds_exerciseEveryFault() {
    long[] totals = new long[LABELS.length];
    for (long seed = 11; seed <= 14; seed++) {
      SimResult result = SimOptions.sealed(seed, 120, 3).run();
      assertTrue(result.passed(), result::report);
      for (int i = 0; i < LABELS.length; i++) {
        totals[i] += count(result.summary(), LABELS[i]);
      }
    }
    for (int i = 0; i < LABELS.length; i++) {
      assertTrue(totals[i] > 0, "no '" + LABELS[i].trim() + "' in 4 seeds");
    }
  }

  private static final String[] LABELS = {
    "partitions ",
    "requests dropped ",
    "answers dropped ",
    "envelopes reordered ",
    "envelopes duplicated ",
    "envelope bits flipped ",
    "envelopes refused ",
    "device restarts ",
    "relay restarts ",
  };

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
