package dev.converge.server.inspector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics sampled at a fixed interval: one time per sample and, per named series, one value per
 * sample (rates per second for counters, the value for gauges).
 *
 * @param intervalMillis the time between two samples
 * @param timesMillis when each sample was taken, milliseconds since the epoch, oldest first
 * @param series per series name, its values in the order of {@code timesMillis}
 */
public record MetricsSamples(
    long intervalMillis, List<Long> timesMillis, Map<String, List<Double>> series) {
  public MetricsSamples {
    timesMillis = List.copyOf(timesMillis);
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> entry : series.entrySet()) {
      if (entry.getValue().size() != timesMillis.size()) {
        throw new IllegalArgumentException(
            "series "
                + entry.getKey()
                + " has "
                + entry.getValue().size()
                + " values for "
                + timesMillis.size()
                + " samples");
      }
      copy.put(entry.getKey(), List.copyOf(entry.getValue()));
    }
    series = java.util.Collections.unmodifiableMap(copy);
  }
}
