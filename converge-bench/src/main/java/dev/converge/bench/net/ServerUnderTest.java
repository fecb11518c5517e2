package dev.converge.bench.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sync server in a child process that speaks the benchmark's stdin protocol (first stdout line
 * {@code {"url":...}}, {@code stats} on stdin answered by one JSON line, stops when stdin closes).
 * Its resident memory is sampled from {@code /proc/PID/status} twice a second.
 */
final class ServerUnderTest implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String name;
  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;
  private final String url;
  private final AtomicLong rssBytesMax = new AtomicLong();
  private final ScheduledExecutorService sampler;

  ServerUnderTest(String name, List<String> command, Path directory) throws IOException {
    this.name = name;
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().remove("NODE_OPTIONS");
    this.process = builder.start();
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.getOutputStream();
    String first = out.readLine();
    if (first == null) {
      throw new IOException(name + " server printed nothing: " + command);
    }
    this.url = JSON.readTree(first).get("url").asText();
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "rss-sampler-" + name);
              thread.setDaemon(true);
              return thread;
            });
    var unused = sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
  }

  String url() {
    return url;
  }

  long rssBytesMax() {
    return rssBytesMax.get();
  }

  long rssBytesNow() {
    Path status = Path.of("/proc/" + process.pid() + "/status");
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
        }
      }
    } catch (IOException e) {
      return -1; // the process is gone, or this is not Linux
    }
    return -1;
  }

  private void sample() {
    long now = rssBytesNow();
    rssBytesMax.accumulateAndGet(now, Math::max);
  }

  /** Asks the server for its statistics line. */
  JsonNode stats() throws IOException {
    in.write("stats\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    String line = out.readLine();
    if (line == null) {
      throw new IOException(name + " server ended");
    }
    return JSON.readTree(line);
  }

  @Override
  public void close() throws IOException {
    sampler.shutdownNow();
    in.close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
