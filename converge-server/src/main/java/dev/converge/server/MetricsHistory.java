package dev.converge.server;

import dev.converge.server.inspector.MetricsSamples;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The recent history of a few of the server's {@code /metrics} figures, for the inspector's charts:
 * {@link #sample} (called by the server's timer every {@link #INTERVAL_MILLIS}) reads them from the
 * meter registry, and the last {@link #SAMPLES_MAX} samples (15 minutes) are kept. Counters become
 * rates per second over the time since the sample before; gauges are read as they are.
 *
 * <p>Sampling on the server, not in the page, means the charts show the minutes before the page was
 * opened, and cost one registry read per interval whatever the number of pages open.
 *
 * <p>Thread-safety: safe for use by many threads (one lock around the samples).
 */
final class MetricsHistory {
  static final long INTERVAL_MILLIS = 5_000;
  static final int SAMPLES_MAX = 180;

  private record Figure(String name, DoubleSupplier reading, boolean rate) {}

  private final List<Figure> figures;
  private final LongSupplier clockMillis;
  private final ArrayDeque<Long> times = new ArrayDeque<>();
  private final Map<String, ArrayDeque<Double>> values = new LinkedHashMap<>();
  private final Map<String, Double> lastTotals = new LinkedHashMap<>();
  private long lastTimeMillis = -1;

  MetricsHistory(MeterRegistry registry, SyncLagReading syncLag, LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    this.figures =
        List.of(
            new Figure("connections", gauges(registry, "converge.connections.active"), false),
            new Figure(
                "messagesReceivedPerSecond",
                counters(registry, "converge.messages.received"),
                true),
            new Figure("messagesSentPerSecond", counters(registry, "converge.messages.sent"), true),
            new Figure("bytesReceivedPerSecond", counters(registry, "converge.received"), true),
            new Figure("bytesSentPerSecond", counters(registry, "converge.sent"), true),
            new Figure(
                "changesAppliedPerSecond", counters(registry, "converge.changes.applied"), true),
            new Figure("bufferedBytes", gauges(registry, "converge.buffered"), false),
            new Figure("heapUsedBytes", heapUsed(registry), false),
            new Figure("syncLagP99Millis", syncLag::p99Millis, false));
    for (Figure figure : figures) {
      values.put(figure.name(), new ArrayDeque<>());
    }
  }

  /** The sync lag's 99th percentile now, in milliseconds (NaN before any lag was measured). */
  @FunctionalInterface
  interface SyncLagReading {
    double p99Millis();
  }

  /** Reads every figure once and keeps the sample, dropping the oldest beyond the bound. */
  synchronized void sample() {
    long now = clockMillis.getAsLong();
    double seconds = lastTimeMillis < 0 ? 0 : Math.max(1, now - lastTimeMillis) / 1000.0;
    for (Figure figure : figures) {
      double reading = figure.reading().getAsDouble();
      double value = reading;
      if (figure.rate()) {
        Double before = lastTotals.put(figure.name(), reading);
        value = before == null || seconds == 0 ? 0 : Math.max(0, reading - before) / seconds;
      }
      ArrayDeque<Double> series = java.util.Objects.requireNonNull(values.get(figure.name()));
      series.addLast(Double.isFinite(value) ? value : 0);
      if (series.size() > SAMPLES_MAX) {
        series.removeFirst();
      }
    }
    times.addLast(now);
    if (times.size() > SAMPLES_MAX) {
      times.removeFirst();
    }
    lastTimeMillis = now;
  }

  synchronized MetricsSamples samples() {
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (Map.Entry<String, ArrayDeque<Double>> entry : values.entrySet()) {
      series.put(entry.getKey(), new ArrayList<>(entry.getValue()));
    }
    return new MetricsSamples(INTERVAL_MILLIS, new ArrayList<>(times), series);
  }

  private static DoubleSupplier counters(MeterRegistry registry, String name) {
    return () -> registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static DoubleSupplier gauges(MeterRegistry registry, String name) {
    return () -> registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
  }

  private static DoubleSupplier heapUsed(MeterRegistry registry) {
    return () ->
        registry.find("jvm.memory.used").tag("area", "heap").gauges().stream()
            .mapToDouble(Gauge::value)
            .sum();
  }
}
