package dev.converge.server;

import dev.converge.net.server.NetworkObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The server's Micrometer meters, exposed as Prometheus text on {@code /metrics}. Every label value
 * comes from a fixed set written here: a value a client could choose (the {@code type} of an
 * unknown message, say) counts as {@code other}, or each new string would make a new time series
 * and {@code /metrics} would grow without bound.
 */
final class ServerMetrics implements NetworkObserver {
  /** Message types by wire name, the types automerge-repo defines; anything else is "other". */
  static final Set<String> MESSAGE_TYPES =
      Set.of(
          "join",
          "peer",
          "error",
          "request",
          "sync",
          "doc-unavailable",
          "ephemeral",
          "remote-subscription-change",
          "remote-heads-changed");

  /** Why connections are closed, as the sync server and the transport name it. */
  static final Set<String> ERROR_KINDS =
      Set.of(
          "rate-limited",
          "frame-too-large",
          "malformed-message",
          "limit-exceeded",
          "bad-sync-message",
          "no-join",
          "second-join",
          "unsupported-version",
          "connection-memory",
          "ping-timeout",
          "peer-id-taken",
          "join-timeout",
          "upgrade-timeout");

  private static final String OTHER = "other";

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
  private final Counter connectionsRefused;
  private final Map<String, Counter> received = new HashMap<>();
  private final Map<String, Counter> sent = new HashMap<>();
  private final Map<String, Counter> dropped = new HashMap<>();
  private final Map<String, Counter> errors = new HashMap<>();
  private final Counter receivedOther;
  private final Counter errorsOther;
  private final Counter retainedPurged;
  private final Map<String, AtomicLong> documentsByAge = new HashMap<>();

  ServerMetrics(Path dataDirectory, MemoryBudget budget) {
    Gauge.builder("converge.connections.active", connections, AtomicLong::get)
        .description("Open WebSocket connections")
        .register(registry);
    connectionsOpened = counter("converge.connections.opened", "WebSocket connections accepted");
    bytesReceived = bytesCounter("converge.received", "Bytes of frames received");
    bytesSent = bytesCounter("converge.sent", "Bytes of frames sent");
    connectionsRefused =
        counter(
            "converge.connections.refused",
            "TCP connections closed on accept: their address had the most open");
    for (String type : MESSAGE_TYPES) {
      received.put(type, messageCounter("converge.messages.received", "Messages received", type));
      sent.put(type, messageCounter("converge.messages.sent", "Messages sent", type));
    }
    receivedOther = messageCounter("converge.messages.received", "Messages received", OTHER);
    dropped.put(
        "ephemeral",
        messageCounter(
            "converge.messages.dropped",
            "Ephemeral messages not relayed: the target lagged or the server was short of memory",
            "ephemeral"));
    for (String kind : ERROR_KINDS) {
      errors.put(kind, errorCounter(kind));
    }
    errorsOther = errorCounter(OTHER);
    budgetGauge(
        budget,
        "converge.buffered",
        MemoryBudget::heldBytes,
        "Bytes all connections hold: frames being received or handled, or queued");
    budgetGauge(
        budget,
        "converge.buffered.peak",
        MemoryBudget::peakBytes,
        "The most converge_buffered_bytes has been");
    budgetGauge(
        budget,
        "converge.buffered.max",
        MemoryBudget::bytesMax,
        "The bound on converge_buffered_bytes");
    FunctionCounter.builder("converge.connections.evicted", budget, MemoryBudget::evictions)
        .description("Connections disconnected because all together held more than the bound")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    changesApplied =
        counter("converge.changes.applied", "Changes from clients applied to stored documents");
    unauthorized =
        counter(
            "converge.upgrades.unauthorized",
            "WebSocket upgrades refused for a missing or unknown token");
    accessDenied =
        counter(
            "converge.access.denied",
            "Requests or changes for a document the client may not access");
    syncLag =
        Timer.builder("converge.sync.lag")
            .description(
                "From the arrival of a frame carrying changes to the hand-off of those changes to"
                    + " each other client of the document")
            .publishPercentiles(0.5, 0.99, 0.999)
            .register(registry);
    retainedPurged =
        counter(
            "converge.documents.retained.purged",
            "Documents purged because nobody used them for the retention period");
    for (String age : Retention.AGE_BUCKETS) {
      AtomicLong count = new AtomicLong();
      documentsByAge.put(age, count);
      Gauge.builder("converge.documents.by.age", count, AtomicLong::get)
          .description("Stored documents by days since their last use, at the last retention sweep")
          .tag("age", age)
          .register(registry);
    }
    Gauge.builder("converge.storage.size", dataDirectory, ServerMetrics::directoryBytes)
        .baseUnit("bytes")
        .description("Bytes of the server's data directory")
        .register(registry);
  }

  /** A document purged by retention. */
  void retainedPurged() {
    retainedPurged.increment();
  }

  /** The counts of a retention sweep, by {@link Retention#AGE_BUCKETS} label. */
  void documentsByAge(Map<String, Long> counts) {
    for (Map.Entry<String, AtomicLong> bucket : documentsByAge.entrySet()) {
      bucket.getValue().set(counts.getOrDefault(bucket.getKey(), 0L));
    }
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private Counter bytesCounter(String name, String description) {
    return Counter.builder(name).baseUnit("bytes").description(description).register(registry);
  }

  private void budgetGauge(
      MemoryBudget budget, String name, ToDoubleFunction<MemoryBudget> value, String description) {
    Gauge.builder(name, budget, value)
        .baseUnit("bytes")
        .description(description)
        .register(registry);
  }

  private Counter messageCounter(String name, String description, String type) {
    return Counter.builder(name).description(description).tag("type", type).register(registry);
  }

  private Counter errorCounter(String kind) {
    return Counter.builder("converge.protocol.errors")
        .description("Connections closed for a protocol violation or a limit, by kind")
        .tag("kind", kind)
        .register(registry);
  }

  /** The registry, for {@link MetricsHistory} to read the meters it charts. */
  io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
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
    Counter counter = received.get(type);
    (counter != null ? counter : receivedOther).increment();
    bytesReceived.increment(frameBytes);
  }

  @Override
  public void messageSent(String type, int frameBytes) {
    Counter counter = sent.get(type);
    if (counter != null) {
      counter.increment(); // the server sends only types it knows
    }
    bytesSent.increment(frameBytes);
  }

  @Override
  public void messageDropped(String type) {
    Counter counter = dropped.get(type);
    if (counter != null) {
      counter.increment();
    }
  }

  @Override
  public void protocolError(String kind) {
    Counter counter = errors.get(kind);
    (counter != null ? counter : errorsOther).increment();
  }

  void connectionRefused() {
    connectionsRefused.increment();
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
