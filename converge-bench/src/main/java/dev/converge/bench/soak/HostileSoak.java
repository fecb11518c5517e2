package dev.converge.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The hostile-client soak (issue 16), not part of the build: {@code converge serve} in a child JVM
 * ({@code -Xmx512m} by default, default limits, a token file) faces, for {@code --seconds} (default
 * 300), every attack of {@link Attacks} (a valid token's peer-ID takeovers, minted metric labels, 1
 * MiB log-injecting types, syncs for unknown documents, floods, 64 MiB oversize frames, malformed
 * CBOR and ephemeral data, bad tokens, denied requests, 100 connections from one address, 512 KiB
 * ephemeral fan-out to twelve readers that never read) and {@code --idle} (default 1,000) idle
 * sockets ({@link IdleSockets}), from 200 loopback addresses (127.0.0.2 to 127.0.0.201; Linux
 * routes all of 127/8 to the loopback interface), while two good clients (alice and bob, {@link
 * GoodClients}) edit one document, each {@code --edits-per-second} times a second (default 10, so
 * that a p99 rests on 1,000 or more deliveries in 60 s). The good clients run in a JVM of their own
 * ({@link GoodClientsProcess}, {@code -Xmx256m}), so that their edit-to-delivery times hold neither
 * the attack threads nor this harness's collector pauses.
 *
 * <p>Every second it samples the server ({@link SoakMonitor}): {@code /health} and {@code /metrics}
 * must answer within 5 s, and heap, resident set and {@code /metrics} size are recorded. At the end
 * it waits up to 60 s for the good clients to have each other's changes, stops the server
 * gracefully, opens its data directory and checks that every change they made is stored and that no
 * other document was (the two the soak created). It prints one JSON line per 30 s of samples, then
 * a summary with the verdict: p99 edit-to-delivery under 100 ms, nothing lost or unstored, {@code
 * /health} and {@code /metrics} always answering, no attack through.
 *
 * <p>Run from the repository root, after {@code mvn -q -pl converge-bench -am package -DskipTests}:
 * {@code java -cp converge-bench/target/converge-bench.jar dev.converge.bench.soak.HostileSoak
 * [--seconds 300] [--idle 1000] [--server-heap 512m] [--ephemeral-per-second 100]
 * [--edits-per-second 10] [--log FILE] [--attacks none]}. The server's log goes to {@code --log}
 * (default a file in the soak's temporary directory), its collector's log beside it ({@code
 * FILE.gc}, summed up in the report), the good clients' log too ({@code FILE.clients}). {@code
 * --attacks none} runs the good clients alone, the baseline for their latency on the same machine.
 * Clients and server share the machine: quote the load average beside any figure.
 */
public final class HostileSoak {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = "alice-soak-secret-0123456789";
  private static final String BOB = "bob-soak-secret-0123456789";
  private static final String MALLORY = "mallory-soak-secret-0123456789";
  private static final Pattern TIMESTAMPED = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:.*");

  private HostileSoak() {}

  private record Settings(
      int seconds,
      int idle,
      String serverHeap,
      int ephemeralPerSecond,
      int editsPerSecond,
      Path log,
      boolean attacks) {}

  private static final Pattern GC_PAUSE = Pattern.compile(".*\\bPause\\b.* ([0-9.]+)ms$");

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("converge-soak-");
    Settings settings = parse(args, work);
    Path data = work.resolve("data");
    SplittableRandom random = new SplittableRandom(16);
    DocumentId good = randomId(random);
    DocumentId room = randomId(random);
    try (Repo repo = Repo.open(data)) {
      repo.findOrCreate(good).change(tx -> tx.put(ObjId.ROOT, "title", "shared by alice and bob"));
      repo.findOrCreate(room).change(tx -> tx.put(ObjId.ROOT, "title", "mallory's room"));
      repo.flush();
    }
    Path tokens = work.resolve("tokens");
    Files.writeString(
        tokens,
        "token alice "
            + ALICE
            + "\ntoken bob "
            + BOB
            + "\ntoken mallory "
            + MALLORY
            + "\ndoc "
            + good
            + " alice bob\n",
        StandardCharsets.UTF_8);
    String loadBefore = loadAverage();
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + settings.serverHeap(),
                "-Xlog:gc:file=" + gcLog(settings.log()),
                "-cp",
                System.getProperty("java.class.path"),
                SoakServerProcess.class.getName(),
                data.toString(),
                tokens.toString())
            .redirectError(settings.log().toFile())
            .start();
    BufferedReader serverOut =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String first = serverOut.readLine();
    if (first == null) {
      throw new IOException("the server printed nothing; see " + settings.log());
    }
    String url = JSON.readTree(first).get("url").asText();
    int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));
    System.err.println("soak: server at " + url + ", log " + settings.log());
    ObjectNode summary = JSON.createObjectNode();
    List<String> made;
    try {
      made = run(settings, server, serverOut, url, port, good, room, summary);
    } finally {
      server.destroyForcibly();
    }
    summary.put("load_average_before", loadBefore);
    summary.put("load_average_after", loadAverage());
    summary.put("cores", Runtime.getRuntime().availableProcessors());
    logFigures(settings.log(), summary);
    gcFigures(gcLog(settings.log()), summary);
    stored(data, good, made, summary);
    summary.put("pass", verdict(summary));
    System.out.println(summary);
  }

  /** Runs the soak; returns the hashes of every change the good clients made. */
  private static List<String> run(
      Settings settings,
      Process server,
      BufferedReader serverOut,
      String url,
      int port,
      DocumentId good,
      DocumentId room,
      ObjectNode summary)
      throws Exception {
    List<InetAddress> addresses = new ArrayList<>();
    for (int host = 2; host <= 201; host++) {
      addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host}));
    }
    InetAddress crowded = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) 250});
    SoakMonitor monitor = new SoakMonitor(port, server.pid(), serverOut, server.getOutputStream());
    Tally tally = new Tally();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.seconds());
    GoodClientsChild.Launch launch =
        new GoodClientsChild.Launch(
            url,
            ALICE,
            BOB,
            "alice-laptop",
            good,
            settings.editsPerSecond(),
            "256m",
            settings.log().resolveSibling(settings.log().getFileName() + ".clients"));
    GoodClientsChild.Result result;
    try (GoodClientsChild clients = new GoodClientsChild(launch);
        IdleSockets idle =
            new IdleSockets(port, MALLORY, settings.attacks() ? settings.idle() : 0, addresses)) {
      Attacks attacks =
          new Attacks(
              new Attacks.Targets(
                  port,
                  MALLORY,
                  "alice-laptop",
                  good,
                  room,
                  addresses,
                  crowded,
                  settings.ephemeralPerSecond()),
              tally,
              deadline);
      if (settings.attacks()) {
        attacks.start();
      }
      clients.go();
      int seconds = 0;
      while (System.nanoTime() < deadline) {
        SoakMonitor.Sample sample = monitor.sample();
        if (++seconds % 30 == 0) {
          System.out.println(SoakMonitor.format(sample));
          System.out.flush();
        }
        long wait = TimeUnit.SECONDS.toMillis(seconds) - (long) (sample.seconds() * 1000);
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
      result = clients.stop();
      attacks.join();
      monitor.sample();
      summarize(result, monitor, idle, tally, summary);
      summary.put("undelivered_after_settle", result.undelivered());
    }
    server.getOutputStream().close(); // graceful stop: flushes the store
    summary.put("server_stopped", server.waitFor(60, TimeUnit.SECONDS));
    return result.made();
  }

  private static void summarize(
      GoodClientsChild.Result clients,
      SoakMonitor monitor,
      IdleSockets idle,
      Tally tally,
      ObjectNode summary) {
    List<Long> latencies = new ArrayList<>(clients.latenciesNanos());
    latencies.sort(null);
    summary.put("good_edits", clients.edits());
    summary.put("good_delivered", latencies.size());
    summary.put("good_p50_ms", percentileMillis(latencies, 0.50));
    summary.put("good_p99_ms", percentileMillis(latencies, 0.99));
    summary.put("good_max_ms", percentileMillis(latencies, 1.0));
    long healthFailed = monitor.samples.stream().filter(s -> !s.healthOk()).count();
    long metricsFailed = monitor.samples.stream().filter(s -> !s.metricsOk()).count();
    summary.put("samples", monitor.samples.size());
    summary.put("health_failed", healthFailed);
    summary.put("metrics_failed", metricsFailed);
    summary.put("health_ms_max", max(monitor, SoakMonitor.Sample::healthMillis));
    summary.put("metrics_ms_max", max(monitor, SoakMonitor.Sample::metricsMillis));
    summary.put("metrics_bytes_max", max(monitor, s -> s.metricsBytes()));
    summary.put("heap_used_mb_max", max(monitor, s -> s.heapUsedBytes()) / 1048576);
    summary.put("heap_after_gc_mb_max", max(monitor, s -> s.heapAfterGcBytes()) / 1048576);
    summary.put("rss_mb_max", max(monitor, s -> s.rssBytes()) / 1048576);
    summary.put("connections_max", max(monitor, SoakMonitor.Sample::connections));
    summary.put("buffered_mb_max", max(monitor, SoakMonitor.Sample::bufferedBytes) / 1048576);
    ObjectNode series = summary.putObject("server_metrics_at_end");
    for (String line : monitor.lastMetrics.lines().toList()) {
      if (line.startsWith("converge_protocol_errors_total")
          || line.startsWith("converge_connections_")
          || line.startsWith("converge_messages_dropped")
          || line.startsWith("converge_buffered_")
          || line.startsWith("converge_access_denied")
          || line.startsWith("converge_upgrades_unauthorized")
          || line.startsWith("converge_messages_received_total{type=\"other\"}")) {
        int space = line.lastIndexOf(' ');
        series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    summary.put("idle_sockets_opened", idle.opened());
    summary.put("idle_sockets_closed_by_server", idle.closedByServer());
    ObjectNode attacks = summary.putObject("attacks");
    for (Map.Entry<String, Long> entry : tally.snapshot().entrySet()) {
      attacks.put(entry.getKey(), entry.getValue());
    }
  }

  private static double max(
      SoakMonitor monitor, java.util.function.ToDoubleFunction<SoakMonitor.Sample> figure) {
    return monitor.samples.stream().mapToDouble(figure).max().orElse(-1);
  }

  private static double percentileMillis(List<Long> sorted, double fraction) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  /** Every change the good clients made is in the stored document; no third document exists. */
  private static void stored(Path data, DocumentId good, List<String> made, ObjectNode summary) {
    try (Repo repo = Repo.open(data)) {
      DocHandle handle = repo.find(good).orElseThrow();
      Set<String> storedHashes = new HashSet<>();
      handle.changes().forEach(change -> storedHashes.add(change.hash().toString()));
      summary.put("good_changes_made", made.size());
      summary.put(
          "good_changes_not_stored", made.stream().filter(h -> !storedHashes.contains(h)).count());
      summary.put("documents_stored", repo.list().size());
    }
  }

  private static void logFigures(Path log, ObjectNode summary) throws IOException {
    long lines = 0;
    long longest = 0;
    long untimed = 0;
    long outOfMemory = 0;
    try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines++;
        longest = Math.max(longest, line.length());
        untimed += TIMESTAMPED.matcher(line).matches() ? 0 : 1;
        outOfMemory +=
            line.contains("OutOfMemoryError") || line.contains("Java heap space") ? 1 : 0;
      }
    }
    summary.put("log_bytes", Files.size(log));
    summary.put("log_lines", lines);
    summary.put("log_longest_line", longest);
    summary.put("log_lines_without_timestamp", untimed);
    summary.put("log_lines_out_of_memory", outOfMemory);
  }

  private static Path gcLog(Path log) {
    return log.resolveSibling(log.getFileName() + ".gc");
  }

  /** The server's collector pauses, from its unified GC log: count, total, longest. */
  private static void gcFigures(Path gcLog, ObjectNode summary) throws IOException {
    long pauses = 0;
    double totalMillis = 0;
    double maxMillis = 0;
    for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
      java.util.regex.Matcher pause = GC_PAUSE.matcher(line);
      if (pause.matches()) {
        double millis = Double.parseDouble(pause.group(1));
        pauses++;
        totalMillis += millis;
        maxMillis = Math.max(maxMillis, millis);
      }
    }
    summary.put("server_gc_pauses", pauses);
    summary.put("server_gc_pause_total_ms", totalMillis);
    summary.put("server_gc_pause_max_ms", maxMillis);
  }

  private static boolean verdict(ObjectNode summary) {
    ObjectNode attacks = (ObjectNode) summary.get("attacks");
    return summary.get("good_p99_ms").asDouble() < 100
        && summary.get("good_delivered").asLong() > 0
        && summary.get("undelivered_after_settle").asLong() == 0
        && summary.get("good_changes_not_stored").asLong() == 0
        && summary.get("documents_stored").asLong() == 2
        && summary.get("health_failed").asLong() == 0
        && summary.get("metrics_failed").asLong() == 0
        && summary.get("log_lines_without_timestamp").asLong() == 0
        && summary.get("log_lines_out_of_memory").asLong() == 0
        && attacks.path("takeover.peer").asLong() == 0
        && attacks.path("denied.sync").asLong() == 0
        && attacks.path("bad-token.accepted").asLong() == 0;
  }

  private static DocumentId randomId(SplittableRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return DocumentId.of(bytes);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Settings parse(String[] args, Path work) {
    int seconds = 300;
    int idle = 1000;
    String heap = "512m";
    int ephemeral = 100;
    int edits = 10;
    Path log = work.resolve("server.log");
    boolean attacks = true;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(value);
        case "--idle" -> idle = Integer.parseInt(value);
        case "--server-heap" -> heap = value;
        case "--ephemeral-per-second" -> ephemeral = Integer.parseInt(value);
        case "--edits-per-second" -> edits = Integer.parseInt(value);
        case "--log" -> log = Path.of(value);
        case "--attacks" -> attacks = !value.equals("none");
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new Settings(seconds, idle, heap, ephemeral, edits, log, attacks);
  }
}
