package dev.converge.server;

import dev.converge.net.NetworkObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The server's Micrometer meters, exposed as Prometheus text on {@code /metrics}. */
final class ServerMetrics implements NetworkObserver {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong connections = new AtomicLong();
  private final Counter connectionsOpened;
  private final Counter bytesReceived;
  private final Counter bytesSent;
  private final Counter changesApplied;
  private final Counter unauthorized;
  private final Counter accessDenied;
  private final Timer syncLag;

  ServerMetrics(Path dataDirectory) {
    Gauge.builder("converge.connections.active", connections, AtomicLong::get)
        .description("Open WebSocket connections")
        .register(registry);
    connectionsOpened =
        Counter.builder("converge.connections.opened")
            .description("WebSocket connections accepted")
            .register(registry);
    bytesReceived =
        Counter.builder("converge.bytes.received")
            .baseUnit("bytes")
            .description("Bytes of frames received")
            .register(registry);
    bytesSent =
        Counter.builder("converge.bytes.sent")
            .baseUnit("bytes")
            .description("Bytes of frames sent")
            .register(registry);
    changesApplied =
        Counter.builder("converge.changes.applied")
            .description("Changes from clients applied to stored documents")
            .register(registry);
    unauthorized =
        Counter.builder("converge.upgrades.unauthorized")
            .description("WebSocket upgrades refused for a missing or unknown token")
            .register(registry);
    accessDenied =
        Counter.builder("converge.access.denied")
            .description("Requests or changes for a document the client may not access")
            .register(registry);
    syncLag =
        Timer.builder("converge.sync.lag")
            .description(
                "From the arrival of a frame carrying changes to the hand-off of those changes to"
                    + " each other client of the document")
            .publishPercentiles(0.5, 0.99, 0.999)
            .register(registry);
    Gauge.builder("converge.storage.size", dataDirectory, ServerMetrics::directoryBytes)
        .baseUnit("bytes")
        .description("Bytes of the server's data directory")
        .register(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  long activeConnections() {
    return connections.get();
  }

  @Override
  public void connectionOpened() {
    connections.incrementAndGet();
    connectionsOpened.increment();
  }

  @Override
  public void connectionClosed() {
    connections.decrementAndGet();
  }

  @Override
  public void messageReceived(String type, int frameBytes) {
    registry.counter("converge.messages.received", "type", type).increment();
    bytesReceived.increment(frameBytes);
  }

  @Override
  public void messageSent(String type, int frameBytes) {
    registry.counter("converge.messages.sent", "type", type).increment();
    bytesSent.increment(frameBytes);
  }

  @Override
  public void protocolError(String kind) {
    registry.counter("converge.protocol.errors", "kind", kind).increment();
  }

  @Override
  public void changesApplied(int count) {
    changesApplied.increment(count);
  }

  @Override
  public void changesForwarded(long nanos) {
    syncLag.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void accessDenied() {
    accessDenied.increment();
  }

  void unauthorized() {
    unauthorized.increment();
  }

  /** The sync lag so far: count and percentiles, for benchmarks. */
  SyncLag syncLag() {
    HistogramSnapshot snapshot = syncLag.takeSnapshot();
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double p999 = Double.NaN;
    for (ValueAtPercentile value : snapshot.percentileValues()) {
      if (value.percentile() == 0.5) {
        p50 = value.value(TimeUnit.MILLISECONDS);
      } else if (value.percentile() == 0.99) {
        p99 = value.value(TimeUnit.MILLISECONDS);
      } else if (value.percentile() == 0.999) {
        p999 = value.value(TimeUnit.MILLISECONDS);
      }
    }
    return new SyncLag(snapshot.count(), p50, p99, p999, snapshot.max(TimeUnit.MILLISECONDS));
  }

  private static double directoryBytes(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.mapToLong(ServerMetrics::sizeOrZero).sum();
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
