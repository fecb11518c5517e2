package dev.converge.bench;

import dev.converge.trace.RunResult;
import dev.converge.trace.TextMismatchException;
import dev.converge.trace.Trace;
import dev.converge.trace.TraceEngine;
import dev.converge.trace.TraceLoader;
import dev.converge.trace.TraceRun;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Side-by-side trace replay: Converge against the JNI Automerge binding, in one JVM.
 *
 * <h2>Run</h2>
 *
 * <pre>
 * mvn -q -pl converge-bench -am package -DskipTests
 * java -Xms2g -Xmx2g -jar converge-bench/target/converge-bench.jar \
 *     converge-bench/target/traces/sequential/automerge-paper.json.gz \
 *     converge-bench/target/traces/concurrent/friendsforever.json.gz
 * </pre>
 *
 * Options: {@code --warmup N} (default 3), {@code --runs N} (default 5), {@code --engines
 * converge,automerge-jni}, {@code --no-footprint} (skip the memory probes).
 *
 * <h2>What it does</h2>
 *
 * For each trace and each engine: first {@link FootprintProbe} in a child JVM measures the memory
 * retained by the final document (heap growth for Converge; heap plus resident-set growth with a
 * pre-touched heap for the JNI binding, whose documents live in native memory; the method and its
 * limits are in that class). Then in this JVM, {@code --warmup} untimed replays let the JIT compile
 * the replay path of that engine (each engine's own code plus the shared trace loop; one full
 * replay of automerge-paper runs each edit path about 260,000 times, far past the C2 thresholds),
 * and {@code --runs} measured replays follow. Each replay is {@link TraceRun}: apply (timed), check
 * the text against endContent, save (timed), load (timed), check the loaded text. The engines run
 * one after the other in the same heap; a fixed heap keeps the collector from resizing it between
 * them. The table shows medians; one JSON line per engine and per ratio follows, for pasting.
 *
 * <p>Exit status: 0 if every replay ended with endContent, 1 if any differed (or an engine failed
 * to run), 2 for a usage error.
 *
 * <h2>Machine settings that matter</h2>
 *
 * The header of each trace prints the system load average: on a shared machine, figures taken with
 * a load above the core count are not comparable with others.
 *
 * <p>A fixed heap ({@code -Xms} = {@code -Xmx}, 2g is ample for both traces); an otherwise idle
 * machine (both engines are single-threaded, but the JIT and the collector use the other cores);
 * CPU frequency scaling and turbo make run-to-run spread larger, not the ratios wrong.
 *
 * <p>Sketch before measuring: the JNI binding spends its time in Rust, so automerge-paper's 259,778
 * one-keystroke transactions should take one to two seconds (Rust Automerge's own figure is a few
 * hundred ms, plus a JNI crossing and a commit per transaction); Converge, a first Java engine,
 * within a small factor of that. First measurement (2 shared cores, 2 warm-ups, 3 runs): the
 * binding took about 5 s and Converge about 2.7 s; the binding's per-transaction cost is far above
 * the sketch and has not been profiled. On friendsforever the binding also encodes and decodes
 * every change it ships between replicas, which the Converge adapter does not (see {@link
 * dev.converge.bench.automerge.AutomergeJniEngine}).
 */
public final class BenchMain {
  private BenchMain() {}

  /** Parsed command line. */
  private record Options(
      int warmup, int runs, List<String> engines, boolean footprint, List<Path> traces) {}

  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("converge-bench: " + e.getMessage());
      System.err.println(
          "usage: converge-bench [--warmup N] [--runs N] [--engines converge,automerge-jni]"
              + " [--no-footprint] TRACE.json[.gz]...");
      System.exit(2);
      return;
    }
    boolean allPassed = true;
    for (Path file : options.traces()) {
      allPassed &= benchTrace(file, options, System.out);
    }
    System.exit(allPassed ? 0 : 1);
  }

  private static Options parse(String[] args) {
    int warmup = 3;
    int runs = 5;
    List<String> engines = Engines.ALL;
    boolean footprint = true;
    List<Path> traces = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--warmup" -> warmup = count(args, ++i, arg, 0);
        case "--runs" -> runs = count(args, ++i, arg, 1);
        case "--engines" -> engines = engineNames(value(args, ++i, arg));
        case "--no-footprint" -> footprint = false;
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          traces.add(Path.of(arg));
        }
      }
    }
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("no trace given");
    }
    return new Options(warmup, runs, engines, footprint, traces);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int count(String[] args, int index, String option, int min) {
    String text = value(args, index, option);
    int count;
    try {
      count = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, found " + text, e);
    }
    if (count < min) {
      throw new IllegalArgumentException(option + " must be >= " + min + ", found " + count);
    }
    return count;
  }

  private static List<String> engineNames(String list) {
    List<String> names = List.of(list.split(","));
    for (String name : names) {
      if (!Engines.ALL.contains(name)) {
        throw new IllegalArgumentException(
            "unknown engine \"" + name + "\"; expected some of " + Engines.ALL);
      }
    }
    return names;
  }

  /** Benchmarks every engine on one trace; false if any replay failed. */
  private static boolean benchTrace(Path file, Options options, PrintStream out) {
    Trace trace;
    try {
      trace = TraceLoader.load(file);
    } catch (IOException | RuntimeException e) {
      System.err.println("converge-bench: cannot load " + file + ": " + e.getMessage());
      return false;
    }
    out.printf(
        Locale.ROOT,
        "%n%s: %s, %d txns, %d ops, final length %d; %d warm-up + %d measured runs per engine;"
            + " load average %.1f on %d cores%n",
        trace.name(),
        trace.kind().name().toLowerCase(Locale.ROOT),
        trace.txns().size(),
        trace.patchCount(),
        trace.endContent().length(),
        options.warmup(),
        options.runs(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    boolean passed = true;
    Map<String, EngineSummary> summaries = new LinkedHashMap<>();
    for (String engine : options.engines()) {
      EngineSummary summary = benchEngine(engine, file, trace, options);
      if (summary == null) {
        passed = false;
      } else {
        summaries.put(engine, summary);
      }
    }
    SummaryTable.print(out, summaries);
    return passed;
  }

  private static @Nullable EngineSummary benchEngine(
      String engine, Path file, Trace trace, Options options) {
    try {
      Footprint footprint = options.footprint() ? Footprint.measure(engine, file) : null;
      TraceEngine<?, ?> adapter = Engines.create(engine);
      for (int i = 0; i < options.warmup(); i++) {
        TraceRun.run(adapter, trace);
      }
      List<RunResult> runs = new ArrayList<>();
      for (int i = 0; i < options.runs(); i++) {
        runs.add(TraceRun.run(adapter, trace));
      }
      return new EngineSummary(trace.name(), engine, runs, footprint);
    } catch (TextMismatchException | IOException e) {
      System.err.println(
          "converge-bench: " + engine + " on " + trace.name() + ": " + e.getMessage());
      return null;
    } catch (RuntimeException | LinkageError e) {
      System.err.println("converge-bench: " + engine + " on " + trace.name() + " failed:");
      e.printStackTrace(System.err);
      return null;
    }
  }
}
