package dev.converge.trace;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one timed replay.
 *
 * @param trace the trace name
 * @param engine the engine name
 * @param ops the number of trace patches applied
 * @param applyMs wall time of the replay, trace already in memory
 * @param saveLoad save and load figures, or null when the engine cannot save yet
 * @param finalLength the length of the final text in code points, the trace format's unit (its
 *     content equals endContent: checked)
 * @param peakHeapMb the heap's peak during the replay, the parsed trace included: see {@link
 *     HeapGauge#peakMb()}
 */
public record RunResult(
    String trace,
    String engine,
    long ops,
    double applyMs,
    @Nullable SaveLoad saveLoad,
    int finalLength,
    double peakHeapMb) {

  /**
   * Save and load of the final document.
   *
   * @param saveMs wall time of one save
   * @param bytes the saved document's size
   * @param loadMs wall time of loading those bytes (text checked after, untimed)
   */
  public record SaveLoad(double saveMs, int bytes, double loadMs) {}

  /**
   * The line {@code converge bench-trace} prints per run: {@code
   * {"trace":..,"ops":..,"apply_ms":..,"save_ms":..,"bytes":..,"load_ms":..,"final_length":..,"peak_heap_mb":..}},
   * with JSON {@code null} for save and load figures the engine cannot produce yet.
   */
  public String toJson() {
    SaveLoad figures = saveLoad;
    return "{\"trace\":"
        + JsonText.quote(trace)
        + ",\"ops\":"
        + ops
        + ",\"apply_ms\":"
        + decimal(applyMs)
        + ",\"save_ms\":"
        + (figures == null ? "null" : decimal(figures.saveMs()))
        + ",\"bytes\":"
        + (figures == null ? "null" : Integer.toString(figures.bytes()))
        + ",\"load_ms\":"
        + (figures == null ? "null" : decimal(figures.loadMs()))
        + ",\"final_length\":"
        + finalLength
        + ",\"peak_heap_mb\":"
        + decimal(peakHeapMb)
        + "}";
  }

  static String decimal(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
