package dev.converge.bench;

import dev.converge.trace.JsonText;
import dev.converge.trace.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The measured runs of one engine on one trace, reduced to medians (the runs are few, and a median
 * ignores one run disturbed by a GC or a neighbour on a shared machine).
 */
record EngineSummary(
    String trace, String engine, List<RunResult> runs, @Nullable Footprint footprint) {

  EngineSummary {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no measured runs for " + engine + " on " + trace);
    }
    runs = List.copyOf(runs);
  }

  double applyMs() {
    return median(RunResult::applyMs);
  }

  double applyMsMin() {
    return runs.stream().mapToDouble(RunResult::applyMs).min().orElseThrow();
  }

  boolean hasSaveLoad() {
    return runs.stream().allMatch(run -> run.saveLoad() != null);
  }

  double saveMs() {
    return median(run -> saveLoad(run).saveMs());
  }

  double loadMs() {
    return median(run -> saveLoad(run).loadMs());
  }

  int bytes() {
    return saveLoad(runs.get(runs.size() - 1)).bytes();
  }

  private static RunResult.SaveLoad saveLoad(RunResult run) {
    RunResult.SaveLoad figures = run.saveLoad();
    if (figures == null) {
      throw new IllegalStateException("run without save/load figures");
    }
    return figures;
  }

  private double median(ToDoubleFunction<RunResult> figure) {
    double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  /** One JSON line with every figure; null for what was not measured. */
  String toJson() {
    RunResult last = runs.get(runs.size() - 1);
    boolean saved = hasSaveLoad();
    Footprint memory = footprint;
    Double nativeMb = memory == null ? null : memory.nativeMb();
    return "{\"trace\":"
        + JsonText.quote(trace)
        + ",\"engine\":"
        + JsonText.quote(engine)
        + ",\"runs\":"
        + runs.size()
        + ",\"ops\":"
        + last.ops()
        + ",\"apply_ms\":"
        + decimal(applyMs())
        + ",\"apply_ms_min\":"
        + decimal(applyMsMin())
        + ",\"save_ms\":"
        + (saved ? decimal(saveMs()) : "null")
        + ",\"bytes\":"
        + (saved ? Integer.toString(bytes()) : "null")
        + ",\"load_ms\":"
        + (saved ? decimal(loadMs()) : "null")
        + ",\"heap_mb\":"
        + (memory == null ? "null" : decimal(memory.heapMb()))
        + ",\"native_mb\":"
        + (nativeMb == null ? "null" : decimal(nativeMb))
        + ",\"final_length\":"
        + last.finalLength()
        + "}";
  }

  static String decimal(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String ratio(double numerator, double denominator) {
    return denominator == 0 ? "null" : String.format(Locale.ROOT, "%.2f", numerator / denominator);
  }

  /** The ratios {@code this / other} as one JSON line; null where either side lacks the figure. */
  String ratioJson(EngineSummary other) {
    boolean saved = hasSaveLoad() && other.hasSaveLoad();
    Footprint mine = footprint;
    Footprint theirs = other.footprint;
    String memory =
        mine == null || theirs == null ? "null" : ratio(mine.totalMb(), theirs.totalMb());
    return "{\"trace\":"
        + JsonText.quote(trace)
        + ",\"ratio\":"
        + JsonText.quote(engine + "/" + other.engine)
        + ",\"apply\":"
        + ratio(applyMs(), other.applyMs())
        + ",\"save\":"
        + (saved ? ratio(saveMs(), other.saveMs()) : "null")
        + ",\"bytes\":"
        + (saved ? ratio(bytes(), other.bytes()) : "null")
        + ",\"load\":"
        + (saved ? ratio(loadMs(), other.loadMs()) : "null")
        + ",\"memory\":"
        + memory
        + "}";
  }
}
