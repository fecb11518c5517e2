package dev.converge.cluster;

import dev.converge.broker.BrokerProcess;
import dev.converge.core.Change;
import dev.converge.core.CommitOptions;
import dev.converge.core.ObjId;
import dev.converge.net.client.FailoverDialer;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.spi.Dialer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's load and failure benchmark, a separate command ({@code converge-cluster/bench.sh}),
 * not a test. Load: a broker, three nodes, CLIENTS clients over DOCUMENTS documents (the clients of
 * a document sit on different nodes), each making RATE changes per second to its document for
 * SECONDS; then the same load on one node without Kafka. Failure (--failure): the nodes are JVMs of
 * their own, and one of them is killed with SIGKILL and restarted every KILL seconds while the
 * clients write. Each run reports the changes made, those lost (made by a client but missing at
 * another client of its document when the run settles), whether every client and node of a document
 * converged, and the latency from a change's commit at its client to its arrival at a client of
 * another node (the one-node run: of the same node): two loopback WebSocket hops more than a
 * node-to-node figure, so an upper bound of it.
 *
 * <p>Options: {@code --clients N --documents N --rate N --seconds N --nodes N --failure --kill
 * SECONDS}.
 */
public final class ClusterLoadBench {
  private ClusterLoadBench() {}

  private record Options(
      int clients, int documents, int rate, int seconds, int nodes, boolean failure, int kill) {}

  /**
   * Runs the benchmark and exits: 0 if every run lost nothing and converged, 1 if one did not, 2 if
   * the benchmark failed, each failure with a one-line reason on stderr. It exits explicitly: the
   * clients, servers and executors of a failed run leave threads that would keep the JVM alive.
   */
  public static void main(String[] args) {
    int status;
    try {
      status = runAll(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.err.println("cluster bench failed: " + oneLine(e));
      status = 2;
    }
    System.exit(status);
  }

  private static String oneLine(Throwable e) {
    return String.valueOf(e).replace('\n', ' ');
  }

  /** The runs the arguments ask for; the exit status. */
  private static int runAll(String[] args) throws Exception {
    Map<String, String> given = new HashMap<>();
    boolean failure = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--failure")) {
        failure = true;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        given.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Options options =
        new Options(
            Integer.parseInt(given.getOrDefault("clients", failure ? "30" : "300")),
            Integer.parseInt(given.getOrDefault("documents", failure ? "10" : "100")),
            Integer.parseInt(given.getOrDefault("rate", "10")),
            Integer.parseInt(given.getOrDefault("seconds", failure ? "120" : "60")),
            Integer.parseInt(given.getOrDefault("nodes", "3")),
            failure,
            Integer.parseInt(given.getOrDefault("kill", "10")));
    System.out.println("options " + options + ", load average " + loadAverage());
    List<String> failures = new ArrayList<>();
    Path work = Files.createTempDirectory("converge-cluster-bench-");
    try (BrokerProcess broker = BrokerProcess.start(work.resolve("kafka"))) {
      ClusterOptions cluster =
          ClusterOptions.of(broker.bootstrapServers()).withClusterName("bench").withPartitions(8);
      if (failure) {
        failureRun(options, cluster, work, failures);
      } else {
        List<ConvergeServer> nodes = new ArrayList<>();
        List<ClusterNode> backends = new ArrayList<>();
        for (int n = 0; n < options.nodes(); n++) {
          ClusterNode backend = ClusterNode.join(cluster);
          backends.add(backend);
          nodes.add(ConvergeServer.start(nodeOptions(work.resolve("node" + n)), backend));
        }
        List<String> urls = new ArrayList<>();
        nodes.forEach(node -> urls.add(ClusterFixture.ws(node)));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        var unused =
            sampler.scheduleAtFixedRate(() -> printStages(backends), 5, 5, TimeUnit.SECONDS);
        try {
          report("cluster", run(options, urls, nodes, () -> {}), failures);
        } finally {
          sampler.shutdownNow();
        }
        for (ConvergeServer node : nodes) {
          node.close();
        }
      }
    }
    if (!failure) {
      try (ConvergeServer single = ConvergeServer.start(nodeOptions(work.resolve("single")))) {
        List<String> urls = new ArrayList<>();
        for (int n = 0; n < options.nodes(); n++) {
          urls.add(ClusterFixture.ws(single));
        }
        report("one node, no Kafka", run(options, urls, List.of(single), () -> {}), failures);
      }
    }
    System.out.println("load average at the end " + loadAverage());
    for (String reason : failures) {
      System.err.println("cluster bench failed: " + reason);
    }
    return failures.isEmpty() ? 0 : 1;
  }

  /**
   * The stages a change passes inside the nodes, sampled: each node's consumer lag (records of the
   * topic it has not applied) and Kafka's mean acknowledgement time since the last sample.
   */
  private static void printStages(List<ClusterNode> backends) {
    StringBuilder line = new StringBuilder("stages:");
    for (ClusterNode backend : backends) {
      ClusterMetrics metrics = backend.clusterMetrics();
      line.append(
          String.format(
              " [lag %d records, produce mean %.1f ms]",
              metrics.consumerLag(), metrics.produceMeanNanosSinceLast() / 1e6));
    }
    System.out.println(line + ", load average " + loadAverage());
  }

  private static void failureRun(
      Options options, ClusterOptions cluster, Path work, List<String> failures) throws Exception {
    int[] ports = new int[options.nodes()];
    Process[] nodes = new Process[options.nodes()];
    List<String> urls = new ArrayList<>();
    for (int n = 0; n < options.nodes(); n++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        ports[n] = socket.getLocalPort();
      }
      nodes[n] = startNode(work.resolve("node" + n), cluster, ports[n]);
      urls.add(ClusterFixture.ws(ports[n]));
    }
    int[] kills = new int[1];
    Runnable killer =
        () -> {
          int n = kills[0]++ % nodes.length;
          try {
            nodes[n].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            nodes[n] = startNode(work.resolve("node" + n), cluster, ports[n]);
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };
    try {
      Result result = run(options, urls, List.of(), killer);
      report(
          "cluster, a node SIGKILLed and restarted every " + options.kill() + " s",
          result,
          failures);
      System.out.println("kills " + kills[0]);
    } finally {
      for (Process node : nodes) {
        node.destroyForcibly();
      }
    }
  }

  /**
   * A node's options: the defaults, but room for every benchmark client, which all connect from
   * 127.0.0.1 (the default 64 connections per address refused the 65th client of a node).
   */
  private static ServerOptions nodeOptions(Path data) {
    ServerOptions defaults = ServerOptions.defaults(data, 0);
    return defaults.withLimits(defaults.limits().withConnectionsPerAddressMax(4096));
  }

  private static Process startNode(Path data, ClusterOptions cluster, int port) throws IOException {
    Files.createDirectories(data);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ClusterNodeMain.class.getName(),
                data.toString(),
                cluster.bootstrapServers(),
                cluster.clusterName(),
                Integer.toString(port))
            .redirectError(ProcessBuilder.Redirect.appendTo(data.resolve("node.log").toFile()))
            .start();
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
            .readLine();
    if (line == null || !line.startsWith("listening")) {
      throw new IOException("node did not start: " + line);
    }
    return process;
  }

  @SuppressWarnings("ArrayRecordComponent") // made once, read once
  private record Result(
      long made, long lost, boolean converged, long[] latencyNanos, double seconds) {}

  /** One client: a RepoPeer failing over along every node, starting with its own. */
  private static final class Client {
    final int index;
    final Repo repo = Repo.inMemory();
    final RepoPeer peer;
    final DocHandle doc;
    int made;

    /** Opens {@code document}, or creates one (numbered {@code number}) if it is null. */
    Client(int index, List<String> urls, int home, @Nullable DocumentId document, int number) {
      this.index = index;
      this.peer =
          new RepoPeer(repo, RepoPeerOptions.of("bench-" + index, new SplittableRandom(index)));
      List<Dialer> dialers = new ArrayList<>();
      for (int i = 0; i < urls.size(); i++) {
        dialers.add(ClusterFixture.dialer(urls.get((home + i) % urls.size())));
      }
      peer.connect(new FailoverDialer(dialers));
      ClusterFixture.await(() -> peer.connectedPeers().size() == 1, "client connects");
      if (document == null) {
        doc = peer.create();
        doc.change(tx -> tx.put(ObjId.ROOT, "document", number));
      } else {
        doc = findWhenThere(peer, document);
      }
    }

    /** The node may not have read a new document from Kafka yet: asks again for up to 60 s. */
    private static DocHandle findWhenThere(RepoPeer peer, DocumentId id) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          return peer.find(id).join();
        } catch (java.util.concurrent.CompletionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }

    synchronized void edit() {
      int n = made++;
      doc.change(
          CommitOptions.defaults().withMessage("load:" + index + ":" + System.nanoTime()),
          tx -> tx.put(ObjId.ROOT, "c" + index + "n" + n, n));
    }

    synchronized int made() {
      return made;
    }
  }

  private static Result run(
      Options options, List<String> urls, List<ConvergeServer> nodes, Runnable every)
      throws Exception {
    int perDocument = Math.max(1, options.clients() / options.documents());
    List<Client> clients = new ArrayList<>();
    List<DocumentId> documents = new ArrayList<>();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    for (int c = 0; c < options.clients(); c++) {
      int document = c % options.documents();
      int home = (c / options.documents()) % urls.size();
      boolean first = document == documents.size();
      Client client = new Client(c, urls, home, first ? null : documents.get(document), document);
      if (first) {
        documents.add(client.doc.id());
      }
      client.doc.addChangeListener(
          (handle, added) -> {
            long now = System.nanoTime();
            for (Change change : added) {
              String[] parts = change.message().orElse("").split(":", 3);
              if (parts.length == 3
                  && parts[0].equals("load")
                  && Integer.parseInt(parts[1]) != client.index) {
                latencies.add(now - Long.parseLong(parts[2]));
              }
            }
          });
      clients.add(client);
    }
    System.out.printf(
        "%d clients connected (%d per document), load average %s%n",
        clients.size(), perDocument, loadAverage());
    ScheduledExecutorService ticks = Executors.newScheduledThreadPool(4);
    long periodMicros = 1_000_000L / options.rate();
    for (Client client : clients) {
      var unused =
          ticks.scheduleAtFixedRate(
              client::edit,
              (client.index * periodMicros / clients.size()),
              periodMicros,
              TimeUnit.MICROSECONDS);
    }
    // The killer has a thread of its own: behind-schedule client ticks would starve it in the pool.
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    if (options.failure()) {
      var unused =
          killer.scheduleAtFixedRate(every, options.kill(), options.kill(), TimeUnit.SECONDS);
    }
    long started = System.nanoTime();
    Thread.sleep(options.seconds() * 1000L);
    killer.shutdownNow();
    killer.awaitTermination(60, TimeUnit.SECONDS);
    ticks.shutdownNow();
    ticks.awaitTermination(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - started) / 1e9;
    long made = 0;
    for (Client client : clients) {
      made += client.made();
    }
    boolean converged = settle(clients, nodes);
    long lost = 0;
    for (Client client : clients) {
      for (Client other : clients) {
        if (other.doc.id().equals(client.doc.id()) && other != client) {
          for (int n = 0; n < client.made(); n++) {
            String key = "c" + client.index + "n" + n;
            if (other.doc.read(d -> d.get(ObjId.ROOT, key)).isEmpty()) {
              lost++;
            }
          }
        }
      }
    }
    for (Client client : clients) {
      client.peer.close();
      client.repo.close();
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(made, lost, converged, sorted, seconds);
  }

  /** Waits up to 120 s for every client and node of each document to reach the same heads. */
  private static boolean settle(List<Client> clients, List<ConvergeServer> nodes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (converged(clients, nodes)) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static boolean converged(List<Client> clients, List<ConvergeServer> nodes) {
    Map<DocumentId, Object> heads = new HashMap<>();
    for (Client client : clients) {
      Object mine = client.doc.heads();
      Object first = heads.putIfAbsent(client.doc.id(), mine);
      if (first != null && !first.equals(mine)) {
        return false;
      }
    }
    for (ConvergeServer node : nodes) {
      for (Map.Entry<DocumentId, Object> entry : heads.entrySet()) {
        Object held = node.repo().find(entry.getKey()).map(DocHandle::heads).orElse(null);
        if (!entry.getValue().equals(held)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Prints the figures of a run; adds a line to {@code failures} if it lost or diverged. */
  private static void report(String name, Result result, List<String> failures) {
    long[] l = result.latencyNanos();
    if (result.lost() > 0 || !result.converged()) {
      failures.add(name + ": " + result.lost() + " changes lost, converged " + result.converged());
    }
    System.out.printf(
        "%s: %d changes made in %.1f s (%.0f/s), %d lost, converged %s; delivery to a client"
            + " of another node: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        name,
        result.made(),
        result.seconds(),
        result.made() / result.seconds(),
        result.lost(),
        result.converged(),
        l.length,
        percentile(l, 0.50),
        percentile(l, 0.99),
        l.length == 0 ? 0.0 : l[l.length - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }

  private static String loadAverage() {
    try {
      return Arrays.toString(
          Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1), 3));
    } catch (IOException e) {
      return "unknown";
    }
  }
}
