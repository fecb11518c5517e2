package dev.converge.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Samples the server under attack once a second: {@code /health} and {@code /metrics} (each must
 * answer within 5 s), the server's heap (its {@code stats} line on stdin), its resident set ({@code
 * /proc/PID/status}), and a few of its meters. Keeps every sample for the report.
 */
final class SoakMonitor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** One second's figures; -1 where a figure could not be read. */
  record Sample(
      double seconds,
      long heapUsedBytes,
      long heapAfterGcBytes,
      long rssBytes,
      long metricsBytes,
      double metricsMillis,
      double healthMillis,
      boolean healthOk,
      boolean metricsOk,
      double connections,
      double bufferedBytes) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;
  private final long pid;
  private final BufferedReader serverOut;
  private final OutputStream serverIn;
  private final long startNanos = System.nanoTime();
  final List<Sample> samples = new ArrayList<>();
  String lastMetrics = "";

  SoakMonitor(int port, long pid, BufferedReader serverOut, OutputStream serverIn) {
    this.base = "http://127.0.0.1:" + port;
    this.pid = pid;
    this.serverOut = serverOut;
    this.serverIn = serverIn;
  }

  Sample sample() throws IOException {
    long before = System.nanoTime();
    boolean healthOk = get("/health").isPresent();
    double healthMillis = (System.nanoTime() - before) / 1e6;
    before = System.nanoTime();
    java.util.Optional<String> metrics = get("/metrics");
    double metricsMillis = (System.nanoTime() - before) / 1e6;
    metrics.ifPresent(text -> lastMetrics = text);
    serverIn.write("stats\n".getBytes(StandardCharsets.UTF_8));
    serverIn.flush();
    String line = serverOut.readLine();
    JsonNode stats = JSON.readTree(line == null ? "{}" : line);
    Sample sample =
        new Sample(
            (System.nanoTime() - startNanos) / 1e9,
            stats.path("heapUsedBytes").asLong(-1),
            stats.path("heapAfterGcBytes").asLong(-1),
            rssBytes(),
            metrics.map(String::length).orElse(-1),
            metricsMillis,
            healthMillis,
            healthOk,
            metrics.isPresent(),
            metrics.map(text -> value(text, "converge_connections_active").orElse(-1)).orElse(-1.0),
            metrics.map(text -> value(text, "converge_buffered_bytes").orElse(-1)).orElse(-1.0));
    samples.add(sample);
    return sample;
  }

  private java.util.Optional<String> get(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? java.util.Optional.of(response.body())
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** The value of the series that is exactly {@code series} (name and labels) in {@code text}. */
  static OptionalDouble value(String text, String series) {
    for (String line : text.lines().toList()) {
      if (line.startsWith(series + " ")) {
        return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1)));
      }
    }
    return OptionalDouble.empty();
  }

  private long rssBytes() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** The sample as one JSON line, sizes in MiB. */
  static String format(Sample sample) {
    return String.format(
        Locale.ROOT,
        "{\"t_s\":%.0f,\"heap_used_mb\":%.1f,\"heap_after_gc_mb\":%.1f,\"rss_mb\":%.1f,"
            + "\"metrics_bytes\":%d,\"metrics_ms\":%.1f,\"health_ms\":%.1f,\"connections\":%.0f,"
            + "\"buffered_mb\":%.1f}",
        sample.seconds(),
        sample.heapUsedBytes() / 1048576.0,
        sample.heapAfterGcBytes() / 1048576.0,
        sample.rssBytes() / 1048576.0,
        sample.metricsBytes(),
        sample.metricsMillis(),
        sample.healthMillis(),
        sample.connections(),
        sample.bufferedBytes() / 1048576.0);
  }
}
