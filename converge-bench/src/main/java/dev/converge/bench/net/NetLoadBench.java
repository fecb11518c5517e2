package dev.converge.bench.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The network load benchmark (issue 6): {@code --clients} WebSocket clients (Java {@link RepoPeer}s
 * over the JDK WebSocket, default 100) across as many documents, each client making {@code --rate}
 * changes per second (default 10) for {@code --seconds} (default 60), against {@code converge
 * serve} and then against the JavaScript automerge-repo sync server ({@code
 * interop/repo/sync-server.mjs}), each in its own child process on 127.0.0.1.
 *
 * <p>Client {@code i} writes alternately to document {@code i} and document {@code i+1}, so every
 * document has two writers and every change one other client to reach. At the end it checks that no
 * change is lost (every key written is in both clients' copies), that both copies have the same
 * heads, and that a fresh client reading from the server gets those heads too; then it prints one
 * JSON line per server: client-observed latency from edit to arrival at the other client
 * (p50/p99/max), the server's own sync lag (arrival of a frame to hand-off to the other client;
 * Converge only: the JavaScript server has no such meter), the server's peak resident memory, and
 * the load average before and after.
 *
 * <p>Run (after {@code mvn -pl converge-bench -am package -DskipTests} and {@code npm ci} in {@code
 * interop/}): {@code java -cp converge-bench/target/converge-bench.jar
 * dev.converge.bench.net.NetLoadBench [--seconds 60] [--clients 100] [--rate 10] [--servers
 * converge,js]} from the repository root. The clients share the machine with the server: note the
 * load average and the core count next to any figure.
 */
public final class NetLoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetLoadBench() {}

  private record Settings(int clients, int rate, int seconds, List<String> servers) {}

  public static void main(String[] args) throws Exception {
    Settings settings = parse(args);
    Path root = repositoryRoot();
    for (String server : settings.servers()) {
      List<String> command =
          server.equals("converge")
              ? List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConvergeServerProcess.class.getName())
              : List.of("node", "repo/sync-server.mjs");
      Path directory = server.equals("converge") ? root : root.resolve("interop");
      try (ServerUnderTest under = new ServerUnderTest(server, command, directory)) {
        System.out.println(run(settings, under));
        System.out.flush();
      }
    }
  }

  private static Settings parse(String[] args) {
    int clients = 100;
    int rate = 10;
    int seconds = 60;
    List<String> servers = List.of("converge", "js");
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(value);
        case "--rate" -> rate = Integer.parseInt(value);
        case "--seconds" -> seconds = Integer.parseInt(value);
        case "--servers" -> servers = Arrays.asList(value.split(",", -1));
        default ->
            throw new IllegalArgumentException(
                "usage: NetLoadBench [--clients N] [--rate PER_SECOND] [--seconds S]"
                    + " [--servers converge,js]; unknown "
                    + args[i]);
      }
    }
    if (clients < 2 || rate < 1 || seconds < 1) {
      throw new IllegalArgumentException("need --clients >= 2, --rate >= 1, --seconds >= 1");
    }
    for (String server : servers) {
      if (!server.equals("converge") && !server.equals("js")) {
        throw new IllegalArgumentException("--servers takes converge and/or js, not " + server);
      }
    }
    return new Settings(clients, rate, seconds, servers);
  }

  private static String run(Settings settings, ServerUnderTest server) throws Exception {
    String loadBefore = loadAverage();
    HttpClient http = HttpClient.newHttpClient();
    SplittableRandom random = new SplittableRandom(2026);
    List<LoadClient> clients = new ArrayList<>();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    try {
      for (int i = 0; i < settings.clients(); i++) {
        clients.add(new LoadClient(i, server.url(), http, random.split()));
      }
      for (LoadClient client : clients) {
        LoadClient after = clients.get((client.index + 1) % clients.size());
        client.next = findWithRetry(client.peer, after.own);
        client.watch(client.own, latencies);
        client.watch(client.next, latencies);
      }
      latencies.clear(); // only the timed phase counts
      long startNanos = System.nanoTime();
      ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
      List<ScheduledFuture<?>> tasks = new ArrayList<>();
      long periodMicros = 1_000_000L / settings.rate();
      for (LoadClient client : clients) {
        long offset = random.nextLong(periodMicros);
        tasks.add(
            pacer.scheduleAtFixedRate(client::edit, offset, periodMicros, TimeUnit.MICROSECONDS));
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(settings.seconds()));
      for (ScheduledFuture<?> task : tasks) {
        task.cancel(false);
      }
      pacer.shutdown();
      pacer.awaitTermination(10, TimeUnit.SECONDS);
      double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;

      long settleStart = System.nanoTime();
      long lost = awaitConverged(clients, 120);
      double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
      boolean serverAgrees = lost == 0 && serverHasEveryHead(server.url(), clients, http);
      // Only converge serve has a sync-lag meter; the JavaScript server's memory is sampled from
      // /proc like the other's, so it is not asked (under load it answered stdin late or never).
      JsonNode stats = server.name.equals("converge") ? server.stats() : JSON.createObjectNode();

      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      int changes = clients.stream().mapToInt(LoadClient::changesMade).sum();
      ObjectNode line = JSON.createObjectNode();
      line.put("server", server.name);
      line.put("clients", settings.clients());
      line.put("documents", settings.clients());
      line.put("rate_per_client", settings.rate());
      line.put("seconds", round(elapsedSeconds));
      line.put("changes", changes);
      line.put("changes_per_second", round(changes / elapsedSeconds));
      line.put("lost_changes", lost);
      line.put("converged", lost == 0);
      line.put("server_has_every_head", serverAgrees);
      line.put("settle_seconds", round(settleSeconds));
      line.put("deliveries_measured", sorted.length);
      line.put("client_p50_ms", percentileMillis(sorted, 0.50));
      line.put("client_p99_ms", percentileMillis(sorted, 0.99));
      line.put("client_max_ms", percentileMillis(sorted, 1.0));
      if (stats.has("syncLagP99Ms")) {
        line.put("server_sync_lag_p50_ms", stats.get("syncLagP50Ms").asDouble());
        line.put("server_sync_lag_p99_ms", stats.get("syncLagP99Ms").asDouble());
        line.put("server_sync_lag_max_ms", stats.get("syncLagMaxMs").asDouble());
      }
      line.put("server_rss_mb_max", round(server.rssBytesMax() / 1048576.0));
      line.put("server_rss_mb_end", round(server.rssBytesNow() / 1048576.0));
      line.put("load_average_before", loadBefore);
      line.put("load_average_after", loadAverage());
      line.put("cores", Runtime.getRuntime().availableProcessors());
      return JSON.writeValueAsString(line);
    } finally {
      for (LoadClient client : clients) {
        client.close();
      }
    }
  }

  /** Finds {@code wanted} (created by another client) through the server, retrying until 60 s. */
  private static DocHandle findWithRetry(RepoPeer peer, DocHandle wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return peer.find(wanted.id()).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot find " + wanted.id() + " through the server", e);
        }
        Thread.sleep(50); // the creator's first sync has not reached the server yet
      }
    }
  }

  /**
   * Waits until both copies of every document have every key written to it and equal heads; returns
   * how many written keys are still missing from some copy when the wait ends (0 when converged).
   */
  private static long awaitConverged(List<LoadClient> clients, int timeoutSeconds)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (true) {
      long missing = 0;
      boolean sameHeads = true;
      for (LoadClient writer : clients) {
        LoadClient before = clients.get((writer.index - 1 + clients.size()) % clients.size());
        // Document "writer.own" has writers "writer" (even n) and "before" (odd n), and copies in
        // both clients.
        DocHandle a = writer.own;
        DocHandle b = before.next;
        sameHeads &= a.heads().equals(b.heads());
        for (DocHandle copy : List.of(a, b)) {
          JsonNode value = JSON.readTree(copy.toJson());
          missing += missingKeys(value, writer, 0) + missingKeys(value, before, 1);
        }
      }
      if ((missing == 0 && sameHeads) || System.nanoTime() > deadline) {
        return missing;
      }
      Thread.sleep(100);
    }
  }

  private static long missingKeys(JsonNode value, LoadClient writer, int parity) {
    long missing = 0;
    for (int n = parity; n < writer.changesMade(); n += 2) {
      if (!value.has(LoadClient.key(writer.index, n))) {
        missing++;
      }
    }
    return missing;
  }

  /** A fresh client reads every document from the server and must see the clients' heads. */
  private static boolean serverHasEveryHead(String url, List<LoadClient> clients, HttpClient http)
      throws Exception {
    try (Repo repo = Repo.inMemory();
        RepoPeer verifier =
            new RepoPeer(repo, RepoPeerOptions.of("load-verifier", new SplittableRandom(1)))) {
      verifier.connect(new WebSocketDialer(URI.create(url), WebSocketDialerOptions.DEFAULT, http));
      for (LoadClient client : clients) {
        DocHandle copy = findWithRetry(verifier, client.own);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!copy.heads().equals(client.own.heads())) {
          if (System.nanoTime() > deadline) {
            return false;
          }
          Thread.sleep(20);
        }
      }
      return true;
    }
  }

  private static double percentileMillis(long[] sorted, double percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile * sorted.length) - 1);
    return round(sorted[Math.max(0, index)] / 1e6);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("interop/repo/sync-server.mjs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "run from inside the repository: interop/repo/sync-server.mjs not found above "
              + System.getProperty("user.dir"));
    }
    return dir;
  }
}
