package dev.converge.cli;

import dev.converge.cluster.ClusterNode;
import dev.converge.cluster.ClusterOptions;
import dev.converge.core.ConvergeException;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerBackend;
import dev.converge.server.ServerLimits;
import dev.converge.server.ServerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code converge serve}: the sync server. Binds 127.0.0.1 unless {@code --host} says otherwise,
 * accepts automerge-repo WebSocket clients at {@code ws://HOST:PORT/}, stores what they sync in the
 * repository at {@code --data}, and serves {@code /health} and {@code /metrics}; with {@code
 * --kafka}, as a node of a cluster that shares its documents through Kafka. Runs until interrupted
 * (SIGINT, SIGTERM), then stops accepting, closes connections, flushes and exits 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the sync server for automerge-repo clients (WebSocket at ws://HOST:PORT/, HTTP /health"
          + " and /metrics).",
      "Prints 'listening on ws://HOST:PORT/' once it accepts connections; stops on SIGINT or"
          + " SIGTERM. Each option also reads an environment variable."
    })
final class ServeCommand implements Callable<Integer> {
  private static final int PORT_MAX = 65_535;

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "${env:CONVERGE_PORT:-3030}",
      description =
          "TCP port, 0 to 65535; 0 picks a free one (env CONVERGE_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "${env:CONVERGE_HOST:-127.0.0.1}",
      description = "Address to bind (env CONVERGE_HOST, default ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(
      names = "--data",
      defaultValue = "${env:CONVERGE_DATA:-converge-server-data}",
      description =
          "Directory of the server's repository, created if missing (env CONVERGE_DATA, default"
              + " ${DEFAULT-VALUE}).")
  Path data = Path.of("converge-server-data");

  @Option(
      names = "--max-frame-bytes",
      defaultValue = "${env:CONVERGE_MAX_FRAME_BYTES:-67108864}",
      description =
          "Longest WebSocket message accepted, 1 or more; a longer one closes that connection"
              + " (env CONVERGE_MAX_FRAME_BYTES, default ${DEFAULT-VALUE}).")
  int frameBytesMax;

  @Option(
      names = "--token-file",
      defaultValue = "${env:CONVERGE_TOKEN_FILE}",
      description =
          "Require a bearer token on every WebSocket upgrade (Authorization: Bearer SECRET, or"
              + " ?token=SECRET for browsers) and restrict documents to named tokens; format in"
              + " README, 'Access' (env CONVERGE_TOKEN_FILE).")
  @Nullable Path tokenFile;

  @Option(
      names = "--max-messages-per-second",
      defaultValue = "${env:CONVERGE_MAX_MESSAGES_PER_SECOND:-1000}",
      description =
          "Messages one connection may send per second on average, 1 or more; beyond, it is"
              + " closed with an error (env CONVERGE_MAX_MESSAGES_PER_SECOND, default"
              + " ${DEFAULT-VALUE}).")
  int messagesPerSecondMax;

  @Option(
      names = "--max-connection-bytes",
      defaultValue = "${env:CONVERGE_MAX_CONNECTION_BYTES:-134217728}",
      description =
          "Bytes one connection may hold in all (the message being received or handled, and the"
              + " frames waiting to be written); beyond, it is closed with a connection-memory"
              + " error. Raised to --max-frame-bytes if lower (env CONVERGE_MAX_CONNECTION_BYTES, default"
              + " ${DEFAULT-VALUE}).")
  long connectionBytesMax;

  @Option(
      names = "--max-connections-per-address",
      defaultValue = "${env:CONVERGE_MAX_CONNECTIONS_PER_ADDRESS:-64}",
      description =
          "Open TCP connections one client address may have; a further one is closed when accepted"
              + " (env CONVERGE_MAX_CONNECTIONS_PER_ADDRESS, default ${DEFAULT-VALUE}).")
  int connectionsPerAddressMax;

  @Option(
      names = "--max-buffered-bytes",
      defaultValue = "${env:CONVERGE_MAX_BUFFERED_BYTES:-0}",
      description =
          "Bytes all connections together may hold; past half, ephemeral messages are dropped,"
              + " past all, the connection holding the most is disconnected. 0: a quarter of the"
              + " heap (env CONVERGE_MAX_BUFFERED_BYTES, default ${DEFAULT-VALUE}).")
  long bufferedBytesMax;

  @Option(
      names = "--upgrade-timeout-ms",
      defaultValue = "${env:CONVERGE_UPGRADE_TIMEOUT_MS:-10000}",
      description =
          "Milliseconds an HTTP connection may take to send a request head, the WebSocket upgrade"
              + " included (env CONVERGE_UPGRADE_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
  long upgradeTimeoutMillis;

  @Option(
      names = "--join-timeout-ms",
      defaultValue = "${env:CONVERGE_JOIN_TIMEOUT_MS:-10000}",
      description =
          "Milliseconds a WebSocket may stay open without sending join (env"
              + " CONVERGE_JOIN_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
  long joinTimeoutMillis;

  @Option(
      names = "--retain-days",
      defaultValue = "${env:CONVERGE_RETAIN_DAYS:-0}",
      description =
          "Purge documents nobody has requested, synced or changed for this many days, checked"
              + " every hour; 0 keeps every document (env CONVERGE_RETAIN_DAYS, default"
              + " ${DEFAULT-VALUE}).")
  int retainDays;

  @Option(
      names = "--kafka",
      defaultValue = "${env:CONVERGE_KAFKA}",
      description =
          "Run as a node of a cluster sharing documents through these Kafka brokers,"
              + " HOST:PORT[,HOST:PORT...] (env CONVERGE_KAFKA; see README, 'Clusters').")
  @Nullable String kafka;

  @Option(
      names = "--cluster",
      defaultValue = "${env:CONVERGE_CLUSTER:-default}",
      description =
          "With --kafka: the cluster's name, which names its topics converge.NAME.changes and"
              + " converge.NAME.snapshots (env CONVERGE_CLUSTER, default ${DEFAULT-VALUE}).")
  String cluster = "default";

  @Option(
      names = "--snapshot-interval-seconds",
      defaultValue = "${env:CONVERGE_SNAPSHOT_INTERVAL_SECONDS:-60}",
      description =
          "With --kafka: how often the node publishes the snapshots of the documents that changed,"
              + " for the partitions it publishes; a new node reads the changes topic from the last"
              + " round on (env CONVERGE_SNAPSHOT_INTERVAL_SECONDS, default ${DEFAULT-VALUE}).")
  long snapshotIntervalSeconds = 60;

  /** Completed to stop a server started in-process (tests); signals stop the CLI's. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    ServerOptions options = options();
    ServerBackend backend = backend();
    ConvergeServer server;
    try {
      server = start(options, backend);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    Thread hook = new Thread(server::close, "converge-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = CommandOut.of(spec);
    out.println("listening on ws://" + server.host() + ":" + server.port() + "/");
    out.flush();
    try {
      stop.await();
    } finally {
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running already; it closes the server too (close is idempotent).
      }
    }
    return ExitCodes.OK;
  }

  /**
   * The server's settings, every one checked before anything starts: a value out of range is a
   * usage error; a host that does not resolve or a data path that cannot be a directory is invalid
   * input.
   */
  private ServerOptions options() {
    requireAtLeast("--port", port, 0);
    requireAtLeast("--max-frame-bytes", frameBytesMax, 1);
    requireAtLeast("--max-messages-per-second", messagesPerSecondMax, 1);
    requireAtLeast("--max-connection-bytes", connectionBytesMax, 1);
    requireAtLeast("--max-connections-per-address", connectionsPerAddressMax, 1);
    requireAtLeast("--max-buffered-bytes", bufferedBytesMax, 0);
    requireAtLeast("--upgrade-timeout-ms", upgradeTimeoutMillis, 1);
    requireAtLeast("--join-timeout-ms", joinTimeoutMillis, 1);
    requireAtLeast("--retain-days", retainDays, 0);
    if (port > PORT_MAX) {
      throw usage("--port must be 0 to " + PORT_MAX + ", found " + port);
    }
    ServeChecks.requireResolvable(host);
    ServeChecks.requireDirectory(data);
    ServerOptions options =
        ServerOptions.defaults(data, port)
            .withHost(host)
            .withFrameBytesMax(frameBytesMax)
            .withMessagesPerSecondMax(messagesPerSecondMax)
            .withRetainDays(retainDays);
    options = options.withConnectionBytesMax(Math.max(connectionBytesMax, frameBytesMax));
    options =
        options.withLimits(
            options
                .limits()
                .withConnectionsPerAddressMax(connectionsPerAddressMax)
                .withBufferedBytesMax(
                    bufferedBytesMax == 0
                        ? ServerLimits.defaultBufferedBytesMax()
                        : bufferedBytesMax)
                .withUpgradeTimeout(Duration.ofMillis(upgradeTimeoutMillis))
                .withJoinTimeout(Duration.ofMillis(joinTimeoutMillis)));
    Path tokens = tokenFile;
    return tokens == null ? options : options.withTokenFile(tokens);
  }

  /** A node of the cluster {@code --kafka} names, or a lone server. */
  private ServerBackend backend() {
    Optional<ClusterOptions> clusterOptions = clusterOptions();
    return clusterOptions.isEmpty() ? ServerBackend.LOCAL : ClusterNode.join(clusterOptions.get());
  }

  /**
   * The cluster the options name; empty without {@code --kafka}.
   *
   * @throws ParameterException if a cluster option is out of range
   */
  Optional<ClusterOptions> clusterOptions() {
    requireAtLeast("--snapshot-interval-seconds", snapshotIntervalSeconds, 1);
    String servers = kafka;
    if (servers == null || servers.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          ClusterOptions.of(servers.trim())
              .withClusterName(cluster)
              .withSnapshotInterval(Duration.ofSeconds(snapshotIntervalSeconds)));
    } catch (IllegalArgumentException e) {
      throw usage(String.valueOf(e.getMessage()));
    }
  }

  private static ConvergeServer start(ServerOptions options, ServerBackend backend) {
    try {
      return ConvergeServer.start(options, backend);
    } catch (IllegalStateException e) {
      // ConvergeServer reports a port it cannot bind this way; anything else is a bug.
      java.net.BindException bind = ServeChecks.bindFailure(e).orElseThrow(() -> e);
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot listen on "
              + options.host()
              + ":"
              + options.port()
              + ": "
              + ServeChecks.reason(bind)
              + " (is another server running there?)",
          e);
    }
  }

  private void requireAtLeast(String option, long value, long least) {
    if (value < least) {
      throw usage(option + " must be at least " + least + ", found " + value);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(java.util.Objects.requireNonNull(spec).commandLine(), message);
  }
}
