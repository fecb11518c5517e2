package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.server.inspector.MetricsSamples;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The metrics history behind the inspector's charts: counters become rates per second over the time
 * between samples, gauges are kept as read, and only the last {@link MetricsHistory#SAMPLES_MAX}
 * samples stay. The clock is a counter the test moves.
 */
class MetricsHistoryTest {
  @Test
  void sample_countersAsRates_gaugesAsRead_boundedToTheLastSamples() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong connections = new AtomicLong(2);
    registry.gauge("converge.connections.active", connections);
    Counter sync = registry.counter("converge.messages.received", "type", "sync");
    Counter join = registry.counter("converge.messages.received", "type", "join");
    AtomicLong now = new AtomicLong(1_000_000);
    MetricsHistory history = new MetricsHistory(registry, () -> 12.5, now::get);

    history.sample();
    sync.increment(40);
    join.increment(10);
    connections.set(3);
    now.addAndGet(5_000);
    history.sample();

    MetricsSamples samples = history.samples();
    assertEquals(List.of(1_000_000L, 1_005_000L), samples.timesMillis());
    assertEquals(List.of(0.0, 10.0), samples.series().get("messagesReceivedPerSecond"));
    assertEquals(List.of(2.0, 3.0), samples.series().get("connections"));
    assertEquals(List.of(12.5, 12.5), samples.series().get("syncLagP99Millis"));
    assertEquals(List.of(0.0, 0.0), samples.series().get("changesAppliedPerSecond"));

    for (int i = 0; i < MetricsHistory.SAMPLES_MAX + 10; i++) {
      now.addAndGet(MetricsHistory.INTERVAL_MILLIS);
      history.sample();
    }
    MetricsSamples bounded = history.samples();
    assertEquals(MetricsHistory.SAMPLES_MAX, bounded.timesMillis().size());
    assertEquals(now.get(), bounded.timesMillis().get(MetricsHistory.SAMPLES_MAX - 1));
    for (List<Double> series : bounded.series().values()) {
      assertEquals(MetricsHistory.SAMPLES_MAX, series.size());
    }
  }
}
