package dev.converge.sim;

import dev.converge.core.Document;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The deterministic simulator: replicas of one document edit it and sync pairwise through a
 * simulated network that drops, duplicates, delays and reorders messages and splits into partitions
 * that heal, while replicas crash (losing unsynced writes) and restart, and wall clocks jump either
 * way.
 *
 * <p>How determinism works: one {@link SplittableRandom} seeded from {@link SimOptions#seed()}
 * draws every choice (the fault profile, which step runs next, which replica, which message, every
 * edit, every actor ID), time is a simulated millisecond counter that only the simulation advances
 * ({@link SimClock}), and all collections iterated are ordered (TreeMap, lists). The production
 * sync code ({@link Sync}, {@link SyncState}, {@link dev.converge.core.sync.SyncWatchdog}) runs
 * unchanged. So a seed replays exactly: {@code converge sim --seed S --steps N --replicas R}.
 *
 * <p>Its parts, as in TigerBeetle's simulator: the {@link SimNetwork} carries messages with the
 * network's faults; {@link SyncSessions} runs the sync protocol over it between {@link Replicas},
 * each with its own simulated disk; {@link SimFaults} crashes and restarts replicas, flips bits of
 * their synced disks, partitions the network and jumps clocks; {@link SimWorkload} makes the local
 * edits; {@link SimChecker} checks the invariants after every step and convergence at the end. This
 * class runs the steps.
 *
 * <p>A run has two phases. In the first, {@code steps} random steps, with the checks of {@link
 * Invariants} after each. In the second, faults stop: the partition heals, crashed replicas
 * restart, every pair connects, messages are delivered in order without loss, and the run goes on
 * until no message is in flight and all replicas have the same heads, within {@link
 * #LIVENESS_STEPS_MAX} steps (more is a stall). Then the replicas must have converged ({@link
 * SimChecker#checkConverged}).
 *
 * <p>Not thread-safe: one instance per run; runs of different seeds may go in parallel.
 */
public final class Simulation {
  /** Steps of the fault-free phase before a run that has not converged counts as stalled. */
  static final int LIVENESS_STEPS_MAX = 20_000;

  private final SimOptions options;
  private final SplittableRandom random;
  private final FaultProfile profile;
  private final SimStats stats = new SimStats();
  private final SimClock clock = new SimClock();
  private final Replicas replicas;
  private final SimNetwork network;
  private final SyncSessions sessions;
  private final SimFaults faults;
  private final SimWorkload workload;
  private final SimChecker checker;

  private Simulation(SimOptions options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    this.profile = FaultProfile.draw(random);
    int plantedBugVictim = random.nextInt(options.replicas());
    this.replicas =
        new Replicas(
            options.replicas(),
            profile.v1OnlyReplicas(),
            random,
            clock::nowMillis,
            options.plantedBug());
    this.network = new SimNetwork(random, profile, clock, stats);
    this.sessions =
        new SyncSessions(
            replicas, network, clock, stats, random, options.plantedBug(), plantedBugVictim);
    this.faults = new SimFaults(replicas, sessions, network, random, stats);
    this.workload = new SimWorkload(replicas, sessions, random, profile, stats);
    this.checker = new SimChecker(replicas);
  }

  /** Runs one seed to the end; never throws for a failure of the system under test. */
  public static SimResult run(SimOptions options) {
    return new Simulation(options).run();
  }

  private SimResult run() {
    Optional<String> failure = Optional.empty();
    try {
      workload.start();
      checker.afterStep();
      for (int step = 0; step < options.steps(); step++) {
        stats.steps++;
        step();
        checker.afterStep();
      }
      converge();
      checker.checkConverged();
    } catch (InvariantViolation e) {
      failure = Optional.of(where() + e.getMessage() + causeOf(e));
    } catch (RuntimeException e) {
      failure = Optional.of(where() + "unexpected " + e + at(e));
    }
    for (Replica replica : replicas) {
      stats.changesRepairedFromPeers += replica.repairedFromPeers();
    }
    Document first = replicas.get(0).doc();
    return new SimResult(
        options,
        profile.toString(),
        stats.toString(),
        first.heads().size(),
        first.hashesSince(List.of()).size(),
        failure);
  }

  private String where() {
    return stats.livenessSteps > 0
        ? "after " + stats.steps + " steps and " + stats.livenessSteps + " convergence steps: "
        : "at step " + stats.steps + ": ";
  }

  private static String causeOf(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null ? "" : " (cause: " + cause + at(cause) + ")";
  }

  private static String at(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length == 0 ? "" : " at " + trace[0];
  }

  private void step() {
    clock.advance(1 + random.nextInt(50));
    network.healIfDue(stats.steps);
    int[] weights = {
      20, // edit
      40, // deliver
      10, // connect
      1, // disconnect
      8, // tick
      8, // sync a disk
      profile.crashWeight(),
      4, // restart
      profile.partitionWeight(),
      profile.clockJumpWeight(),
      profile.bitFlipWeight(),
    };
    switch (pick(weights)) {
      case 0 -> workload.edit();
      case 1 -> network.deliver().ifPresent(sessions::receive);
      case 2 -> sessions.connectRandomPair();
      case 3 -> sessions.disconnectRandom();
      case 4 -> tick(random.nextInt(5_000));
      case 5 -> replicas.randomUp(random).ifPresent(Replica::sync);
      case 6 -> faults.crash();
      case 7 -> faults.restart();
      case 8 -> faults.partition();
      case 9 -> faults.jumpClock();
      case 10 -> faults.flipBit();
      default -> throw new AssertionError("step kind");
    }
  }

  private int pick(int[] weights) {
    int total = Arrays.stream(weights).sum();
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    throw new AssertionError("weights " + Arrays.toString(weights));
  }

  /** Time passes: session timers fire (timeouts, then a watchdog round). */
  private void tick(long millis) {
    clock.advance(millis);
    sessions.timersFire();
  }

  /** The fault-free phase: runs until nothing is in flight and all heads are equal. */
  private void converge() {
    faults.stop();
    while (true) {
      if (stats.livenessSteps >= LIVENESS_STEPS_MAX) {
        throw new InvariantViolation(
            "stalled: "
                + LIVENESS_STEPS_MAX
                + " steps without converging; "
                + checker.headsReport());
      }
      stats.livenessSteps++;
      for (int a = 0; a < replicas.count(); a++) {
        for (int b = a + 1; b < replicas.count(); b++) {
          sessions.open(a, b);
        }
      }
      if (!network.isIdle()) {
        network.deliver().ifPresent(sessions::receive);
      } else if (checker.allHeadsEqual()) {
        return;
      } else {
        tick(1_000);
      }
      checker.afterStep();
    }
  }
}
