package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves the simulator can fail: with a bug planted behind {@link PlantedBug}, a few seeds must be
 * enough to catch it. If one of these tests fails, the simulator has gone blind to that kind of
 * bug, whatever the seed tests say.
 *
 * <p>How: run seeds 1 to {@link #SEEDS_MAX} with the bug planted and count the failures, which must
 * name the kind of failure the bug causes.
 */
class CanaryTest {
  static final int SEEDS_MAX = 10;

  private static List<SimResult> failures(PlantedBug bug, int steps) {
    List<SimResult> failures = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      SimResult result = Simulation.run(new SimOptions(seed, steps, 3, bug));
      if (!result.passed()) {
        failures.add(result);
      }
    }
    return failures;
  }

  @Test
  void droppedReceivedChange_caughtWithinAFewSeeds() {
    List<SimResult> failures = failures(PlantedBug.DROP_RECEIVED_CHANGE, 100);
    assertTrue(
        failures.size() >= SEEDS_MAX / 2,
        "the planted dropped change was caught in only " + failures.size() + " seeds");
    for (SimResult failure : failures) {
      String message = failure.failure().orElseThrow();
      assertTrue(
          message.contains("stalled") || message.contains("different heads"),
          () -> "unexpected failure: " + failure.report());
      assertTrue(failure.report().contains("--plant DROP_RECEIVED_CHANGE"), failure::report);
    }
  }

  @Test
  void ackBeforeDurable_caughtWithinAFewSeeds() {
    List<SimResult> failures = failures(PlantedBug.ACK_BEFORE_DURABLE, 300);
    assertTrue(!failures.isEmpty(), "an acknowledgement before fsync went unnoticed in 10 seeds");
    for (SimResult failure : failures) {
      assertTrue(
          failure.failure().orElseThrow().contains("lost acknowledged change"),
          () -> "unexpected failure: " + failure.report());
    }
  }

  @Test
  void clockForgottenOnRestart_caughtWithinAFewSeeds() {
    List<SimResult> failures = failures(PlantedBug.CLOCK_FORGOTTEN_ON_RESTART, 300);
    assertTrue(!failures.isEmpty(), "a clock that forgot its past went unnoticed in 10 seeds");
    for (SimResult failure : failures) {
      assertTrue(
          failure.failure().orElseThrow().contains("before its own earlier change"),
          () -> "unexpected failure: " + failure.report());
    }
  }

  @Test
  void v2MessageToAV1OnlyPeer_caughtWithinAFewSeeds() {
    List<SimResult> failures = failures(PlantedBug.V2_TO_V1_ONLY_PEER, 400);
    assertTrue(!failures.isEmpty(), "v2 messages to a v1-only replica went unnoticed in 10 seeds");
    for (SimResult failure : failures) {
      assertTrue(
          failure.failure().orElseThrow().contains("speaks only sync protocol v1"),
          () -> "unexpected failure: " + failure.report());
    }
  }

  @Test
  void noPlantedBug_sameSeedsPass() {
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      SimResult result = Simulation.run(SimOptions.of(seed, 300, 3));
      assertTrue(result.passed(), result::report);
    }
  }
}
