package dev.converge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.sim.PlantedBug;
import dev.converge.sim.SeedRange;
import dev.converge.sim.SimOptions;
import dev.converge.sim.SimResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code converge sim}: runs the deterministic simulator (converge-sim) for one seed, printing a
 * summary, or for a range of seeds, printing {@code N passed, N failed} and the command that
 * replays each failing seed. Exit 1 if any seed failed. A range shows a progress bar on stderr when
 * on a terminal. With {@code --json}: one seed prints {@code {"seed","passed","failure"}}, a range
 * {@code {"passed","failed","seeds","seconds","failures":[{"seed","failure","replay"}]}}.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Run the deterministic simulator: replicas edit and sync through a faulty network, crash and"
          + " restart; invariants after every step, convergence at the end.",
      "One seed prints a summary; a range prints 'N passed, N failed' and how to replay each"
          + " failing seed."
    })
final class SimCommand implements Callable<Integer> {
  /** Threads a range may run on at most: far more than cores, far fewer than the OS allows. */
  private static final int THREADS_MAX = 1024;

  private static final Pattern RANGE = Pattern.compile("(-?\\d+)\\.\\.(-?\\d+)");

  @Spec @Nullable CommandSpec spec;

  static final class Seeds {
    @Option(names = "--seed", description = "Run one seed and print its summary.")
    @Nullable Long seed;

    @Option(
        names = "--seeds",
        paramLabel = "A..B",
        description = "Run seeds A to B (both included) and print how many passed and failed.")
    @Nullable String range;
  }

  @ArgGroup(multiplicity = "1")
  @Nullable Seeds seeds;

  @Option(
      names = "--steps",
      defaultValue = "200",
      description = "Random steps per seed before the network heals (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--replicas",
      defaultValue = "3",
      description = "Replicas per seed, 2 to 8 (default ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "Seeds of a range run at once on this many threads, 1 to 1024 (default"
              + " ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--progress",
      defaultValue = "0",
      description = "With --seeds, print to stderr after every N seeds (default: never).")
  long progress;

  @Option(
      names = "--plant",
      defaultValue = "NONE",
      description = "Plant a bug the simulator must catch: ${COMPLETION-CANDIDATES}.")
  PlantedBug plantedBug = PlantedBug.NONE;

  @Option(
      names = "--sealed",
      description =
          "Simulate a sealed document instead: devices share it through a relay, under lost"
              + " messages, reordered, duplicated and damaged envelopes, partitions and restarts.")
  boolean sealed;

  @Mixin JsonOutput json = new JsonOutput();

  @Override
  public Integer call() throws InterruptedException {
    CommandSpec commandSpec = java.util.Objects.requireNonNull(spec);
    Seeds chosen = java.util.Objects.requireNonNull(seeds);
    PrintWriter out = commandSpec.commandLine().getOut();
    checkOptions(commandSpec);
    if (chosen.seed != null) {
      SimResult result = options(chosen.seed).run();
      if (json.requested) {
        ObjectNode line = JsonOutput.object();
        line.put("seed", chosen.seed);
        line.put("passed", result.passed());
        line.put("failure", result.failure().orElse(null));
        JsonOutput.print(out, line);
      } else {
        out.print(result.report());
        out.flush();
      }
      return result.passed() ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }
    Matcher matcher = RANGE.matcher(java.util.Objects.requireNonNull(chosen.range));
    if (!matcher.matches()) {
      throw new ParameterException(
          commandSpec.commandLine(),
          "--seeds takes A..B, for example 1..2000, not " + chosen.range);
    }
    long first = seedOf(commandSpec, matcher.group(1));
    long last = seedOf(commandSpec, matcher.group(2));
    if (last < first) {
      throw new ParameterException(
          commandSpec.commandLine(), "--seeds " + chosen.range + " is empty");
    }
    long count;
    try {
      count = Math.addExact(Math.subtractExact(last, first), 1);
    } catch (ArithmeticException e) {
      throw new ParameterException(
          commandSpec.commandLine(),
          "--seeds " + chosen.range + " holds more than 2^63 - 1 seeds",
          e);
    }
    long started = System.nanoTime();
    PrintWriter err = commandSpec.commandLine().getErr();
    ProgressBar bar = ProgressBar.onConsole(err, "sim");
    SeedRange.Outcome outcome =
        SeedRange.run(
            first,
            last,
            this::options,
            threads,
            done -> {
              bar.update(done, count);
              if (progress > 0 && done % progress == 0) {
                synchronized (err) {
                  err.println(done + " seeds done");
                  err.flush();
                }
              }
            });
    bar.finish();
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    if (json.requested) {
      JsonOutput.print(out, toJson(outcome, count, seconds));
      return outcome.failed() == 0 ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }
    out.println(outcome.passed() + " passed, " + outcome.failed() + " failed");
    out.println("(" + count + " seeds in " + seconds + " s)");
    for (SimResult failure : outcome.failures()) {
      out.println(
          "seed "
              + failure.options().seed()
              + ": "
              + failure.failure().orElse("")
              + "\n  replay: "
              + failure.options().replayCommand());
    }
    out.flush();
    return outcome.failed() == 0 ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
  }

  private static ObjectNode toJson(SeedRange.Outcome outcome, long count, long seconds) {
    ObjectNode line = JsonOutput.object();
    line.put("passed", outcome.passed());
    line.put("failed", outcome.failed());
    line.put("seeds", count);
    line.put("seconds", seconds);
    ArrayNode failures = line.putArray("failures");
    for (SimResult failure : outcome.failures()) {
      ObjectNode entry = failures.addObject();
      entry.put("seed", failure.options().seed());
      entry.put("failure", failure.failure().orElse(""));
      entry.put("replay", failure.options().replayCommand());
    }
    return line;
  }

  /**
   * A bound of {@code --seeds}, which the pattern already limits to an optional sign and digits.
   */
  private static long seedOf(CommandSpec commandSpec, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ParameterException(
          commandSpec.commandLine(),
          "--seeds bounds must fit in 64 bits (-2^63 to 2^63 - 1), found " + CliText.quote(digits),
          e);
    }
  }

  private void checkOptions(CommandSpec commandSpec) {
    if (steps < 0) {
      throw new ParameterException(commandSpec.commandLine(), "--steps must not be negative");
    }
    if (replicas < SimOptions.REPLICAS_MIN || replicas > SimOptions.REPLICAS_MAX) {
      throw new ParameterException(
          commandSpec.commandLine(),
          "--replicas must be " + SimOptions.REPLICAS_MIN + " to " + SimOptions.REPLICAS_MAX);
    }
    if (threads < 1 || threads > THREADS_MAX) {
      // SeedRange starts every thread asked for, so a huge count would exhaust native threads.
      throw new ParameterException(
          commandSpec.commandLine(),
          "--threads must be 1 to " + THREADS_MAX + ", found " + threads);
    }
    if (progress < 0) {
      throw new ParameterException(commandSpec.commandLine(), "--progress must not be negative");
    }
    if (sealed && plantedBug != PlantedBug.NONE) {
      throw new ParameterException(
          commandSpec.commandLine(), "--plant works with the plaintext simulator only");
    }
  }

  private SimOptions options(long seed) {
    return sealed
        ? SimOptions.sealed(seed, steps, replicas)
        : new SimOptions(seed, steps, replicas, plantedBug);
  }
}
