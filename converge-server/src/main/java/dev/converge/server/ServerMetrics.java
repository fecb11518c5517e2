package dev.converge.server;

import dev.converge.net.NetworkObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
