package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.trace.ApplyChangesRun;
import dev.converge.trace.ConvergeEngine;
import dev.converge.trace.TextMismatchException;
import dev.converge.trace.Trace;
import dev.converge.trace.TraceLoader;
import dev.converge.trace.TraceRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge bench-trace TRACE.json[.gz] [--runs N] [--warmup N]}. Replays an editing trace
 * (format: {@link dev.converge.trace}) into a Converge document, one transaction per txn (a
 * concurrent trace replica by replica, see {@link dev.converge.trace.TraceReplay}), and prints one
 * JSON line per measured run:
 *
 * <pre>
 * {"trace":..,"ops":..,"apply_ms":..,"save_ms":..,"bytes":..,"load_ms":..,"final_length":..,"peak_heap_mb":..}
 * </pre>
 *
 * {@code save_ms}, {@code bytes} and {@code load_ms} time one save of the final document and one
 * load of those bytes (the loaded text is checked too); they would print {@code null} for an engine
 * that cannot save. Changes carry wall-clock times, so {@code bytes} varies slightly between runs.
 * {@code peak_heap_mb} is the sum of the heap pools' peaks during the replay (before the save and
 * load, which hold a second document), the parsed trace included (see {@link
 * dev.converge.trace.HeapGauge}). Each printed run is timed as is: in a fresh JVM the first one is
 * partly interpreted, so pass {@code --warmup} for steady-state figures.
 *
 * <p>With {@code --apply-changes}, each run instead times the trace's whole history applied to an
 * empty document at once, as a replica gets it on its first sync, and prints {@code
 * {"trace":..,"changes":..,"apply_changes_ms":..,"load_incremental_ms":..,"final_length":..}}: one
 * {@code applyChanges} of the decoded changes, and one {@code loadIncremental} of their chunks (see
 * {@link dev.converge.trace.ApplyChangesRun}).
 *
 * <p>The replay code lives in converge-trace, shared with the side-by-side benchmark in
 * converge-bench; neither the benchmark harness nor its JNI Automerge binding reaches this module.
 *
 * <p>Exit codes: 0 when every run ended with the trace's endContent; 1 when the trace is invalid or
 * a run ended with another text (the message on stderr names the first differing index); 2 for a
 * usage error.
 */
@Command(
    name = "bench-trace",
    mixinStandardHelpOptions = true,
    description = "Replay an editing trace as local edits and print one JSON line per run.")
final class BenchTraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TRACE", description = "The trace, .json or .json.gz.")
  Path trace;

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "1",
      description = "Measured runs, one JSON line each (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "0",
      description = "Untimed runs before the measured ones (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--apply-changes",
      description =
          "Time applying the trace's whole history to an empty document at once"
              + " (one applyChanges, one loadIncremental) instead of the replay.")
  boolean applyChanges;

  @Override
  public Integer call() {
    if (runs < 1) {
      throw new ParameterException(spec.commandLine(), "--runs must be >= 1, found " + runs);
    }
    if (warmup < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup must be >= 0, found " + warmup);
    }
    Trace loaded = load(trace);
    PrintWriter out = spec.commandLine().getOut();
    // Between runs only, outside their timing: "warmup + runs" steps.
    ProgressBar bar = ProgressBar.onConsole(spec.commandLine().getErr(), "bench-trace");
    int total = warmup + runs;
    try {
      if (applyChanges) {
        ApplyChangesRun history = ApplyChangesRun.prepare(loaded);
        for (int i = 0; i < total; i++) {
          bar.update(i, total);
          String line = history.run();
          printMeasured(out, bar, i >= warmup ? line : null);
        }
      } else {
        ConvergeEngine engine = new ConvergeEngine();
        for (int i = 0; i < total; i++) {
          bar.update(i, total);
          String line = TraceRun.run(engine, loaded).toJson();
          printMeasured(out, bar, i >= warmup ? line : null);
        }
      }
      bar.update(total, total);
      bar.finish();
    } catch (TextMismatchException e) {
      bar.erase();
      PrintWriter err = spec.commandLine().getErr();
      err.println("converge: " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID_INPUT;
    }
    return ExitCodes.OK;
  }

  /** Prints a measured run's line (none for a warm-up run) where the bar was. */
  private static void printMeasured(PrintWriter out, ProgressBar bar, @Nullable String line) {
    if (line != null) {
      bar.erase();
      out.println(line);
      out.flush();
    }
  }

  private static Trace load(Path file) {
    try {
      return TraceLoader.load(file);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot read trace " + file + ": " + CliText.reason(e),
          e);
    }
  }
}
