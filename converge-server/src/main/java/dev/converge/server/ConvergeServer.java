package dev.converge.server;

import dev.converge.net.internal.LogThrottle;
import dev.converge.net.protocol.CodecLimits;
import dev.converge.net.server.DocumentAccess;
import dev.converge.net.server.SyncServer;
import dev.converge.net.server.SyncServerOptions;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.relay.Relay;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.repo.sqlite.SqliteStorage;
import dev.converge.server.inspector.Inspector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code converge serve}: a sync server for automerge-repo clients. WebSocket at {@code
 * ws://host:port/}, {@code /health}, {@code /metrics} (Prometheus text) and the inspector at {@code
 * /} (with a token file, for administrators only: {@link InspectorGate}). Documents that clients
 * sync are stored in a {@link Repo} in the data directory; sealed documents (docs/sealed.md) only
 * as envelopes in a {@link Relay} beside it, on the same WebSocket.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called once each, from one thread.
 */
public final class ConvergeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConvergeServer.class);
  private static final String STORAGE_ID_FILE = "server-storage-id";
  static final long HOUSEKEEPING_MINUTES = 60;

  /** The most bytes of sealed envelopes the server holds for one document. */
  static final long SEALED_DOCUMENT_BYTES_MAX = 1L << 30;

  private final ServerOptions options;
  private final SqliteStorage storage;
  private final Repo repo;
  private final Relay sealedRelay;
  private final SyncServer sync;
  private final ServerBackend backend;
  private final ServerMetrics metrics;
  private final Retention retention;
  private final MemoryBudget budget;
  private final Server jetty;
  private final GuardedConnector connector;
  private final @Nullable AccessRules access;
  private final Set<WebSocketConnection> live = ConcurrentHashMap.newKeySet();
  private final LogThrottle pingTimeoutLog = new LogThrottle(TimeUnit.SECONDS.toNanos(10));
  private final LogThrottle unauthorizedLog = new LogThrottle(TimeUnit.SECONDS.toNanos(1));
  private final MetricsHistory metricsHistory;
  private final Inspector inspector;

  /** Pings every client, and closes connections that do not join in time. */
  private final ScheduledExecutorService timers;

  private boolean closed;

  private ConvergeServer(ServerOptions options, InstantSource clock, ServerBackend backend) {
    this.options = options;
    this.backend = backend;
    this.access = options.tokenFileIfSet().map(AccessRules::read).orElse(null);
    try {
      Files.createDirectories(options.dataDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + options.dataDirectory(), e);
    }
    this.storage =
        SqliteStorage.open(
            options.dataDirectory(), IfMissing.CREATE, SqliteStorage.Options.DEFAULT);
    this.repo = Repo.open(storage, RepoOptions.defaults());
    this.budget = new MemoryBudget(options.limits().bufferedBytesMax());
    this.metrics = new ServerMetrics(options.dataDirectory(), budget);
    this.retention =
        new Retention(storage, this::purgeRetained, clock, options.retainDays(), metrics);
    repo.addDocumentListener(
        handle -> handle.addChangeListener((changed, added) -> retention.used(changed.id())));
    String storageId = storageId(options.dataDirectory());
    String peerId =
        "converge-server-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    // Sealed documents share the data directory and the limits: a relay message fits in a frame.
    int ciphertextBytesMax = Math.max(64, Math.min(16 << 20, options.frameBytesMax() / 2));
    SealedLimits sealedLimits =
        SealedLimits.DEFAULT
            .withCiphertextBytesMax(ciphertextBytesMax)
            .withMessageBytesMax(Math.max(options.frameBytesMax(), ciphertextBytesMax + 1024));
    this.sealedRelay =
        Relay.open(options.dataDirectory(), sealedLimits)
            .withOfferBytesMax(Math.min(Relay.OFFER_BYTES_MAX, options.frameBytesMax() / 2))
            .withDocumentBytesMax(SEALED_DOCUMENT_BYTES_MAX);
    this.sync =
        new SyncServer(
            UsedDocumentStore.of(backend.documents(repo, storage), retention::used),
            sealedRelay,
            sealedLimits,
            new SyncServerOptions(
                peerId,
                storageId,
                CodecLimits.DEFAULT.withFrameBytesMax(options.frameBytesMax()),
                dev.converge.core.sync.SyncLimits.DEFAULT,
                options.documentsPerConnectionMax(),
                access == null ? DocumentAccess.ALL : access,
                options.messagesPerSecondMax()),
            metrics);

    this.metricsHistory =
        new MetricsHistory(
            metrics.registry(), () -> metrics.syncLag().p99Millis(), System::currentTimeMillis);
    this.inspector = Inspector.over(repo, new InspectorStatus(sync, metricsHistory));

    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("converge-server");
    this.jetty = new Server(threads);
    this.connector = new GuardedConnector(jetty, options.limits(), metrics);
    connector.setHost(options.host());
    connector.setPort(options.port());
    jetty.addConnector(connector);
    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler websocket =
        WebSocketUpgradeHandler.from(
            jetty,
            context,
            container -> {
              container.setIdleTimeout(options.idleTimeout());
              // Frames are reassembled and bounded by WebSocketConnection, which answers an
              // oversized one with an error message; Jetty's own limits only stop the absurd.
              container.setMaxBinaryMessageSize(-1);
              container.setMaxTextMessageSize(1 << 16);
              container.addMapping("/", this::upgrade);
            });
    websocket.setHandler(
        new Handler.Sequence(
            new InspectorGate(inspector.handlerFor(options.host()), access), new HttpEndpoints()));
    context.setHandler(websocket);
    jetty.setHandler(context);
    jetty.setStopTimeout(5_000);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "converge-server-timers");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * A WebSocket upgrade: with a token file, only for a known bearer token (header, or the {@code
   * token} query parameter browsers must use); else answered 401 and not upgraded.
   */
  private @Nullable WebSocketConnection upgrade(
      ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    Optional<String> principal = Optional.empty();
    AccessRules rules = access;
    if (rules != null) {
      principal = bearerToken(request).flatMap(rules::authenticate);
      if (principal.isEmpty()) {
        metrics.unauthorized();
        OptionalLong heldBack = unauthorizedLog.tryAcquire(System.nanoTime());
        if (heldBack.isPresent()) {
          log.warn(
              "refused upgrade from={}: no valid token{}",
              Request.getRemoteAddr(request),
              LogThrottle.heldBackSuffix(heldBack.getAsLong()));
        }
        Response.writeError(
            request, response, callback, HttpStatus.UNAUTHORIZED_401, "a valid token is required");
        return null;
      }
    }
    return new WebSocketConnection(sync, options, principal, live, budget, jetty.getThreadPool());
  }

  private static Optional<String> bearerToken(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(header.substring(7).trim());
    }
    return Optional.ofNullable(Request.extractQueryParameters(request).getValue("token"));
  }

  private void pingAll() {
    for (WebSocketConnection connection : live) {
      if (!connection.ping()) {
        metrics.protocolError("ping-timeout");
        OptionalLong heldBack = pingTimeoutLog.tryAcquire(System.nanoTime());
        if (heldBack.isPresent()) {
          log.warn(
              "disconnecting client from={}: no answer to the last ping{}",
              connection.description(),
              LogThrottle.heldBackSuffix(heldBack.getAsLong()));
        }
      }
    }
  }

  /**
   * Opens the repository and starts listening.
   *
   * @throws dev.converge.repo.spi.StorageException if the data directory cannot hold a store
   * @throws IllegalStateException if the port cannot be bound
   */
  public static ConvergeServer start(ServerOptions options) {
    return start(options, InstantSource.system(), ServerBackend.LOCAL);
  }

  /** {@link #start(ServerOptions)} with the clock retention reads (tests move it). */
  static ConvergeServer start(ServerOptions options, InstantSource clock) {
    return start(options, clock, ServerBackend.LOCAL);
  }

  /**
   * Opens the repository, starts {@code backend} and listens: a node of a cluster when the backend
   * is one.
   *
   * @throws dev.converge.repo.spi.StorageException if the data directory cannot hold a store
   * @throws IllegalStateException if the port cannot be bound
   */
  public static ConvergeServer start(ServerOptions options, ServerBackend backend) {
    return start(options, InstantSource.system(), backend);
  }

  private static ConvergeServer start(
      ServerOptions options, InstantSource clock, ServerBackend backend) {
    ConvergeServer server = new ConvergeServer(options, clock, backend);
    try {
      backend.start(
          new ServerBackend.Changes() {
            @Override
            public void changed(DocumentId id) {
              server.sync.documentChanged(id);
            }

            @Override
            public void admitted(DocumentId id, int applied, long receivedNanos) {
              server.sync.changesAdmitted(id, applied, receivedNanos);
            }

            @Override
            public void refused(DocumentId id, String reason) {
              server.sync.closeSyncing(id, reason);
            }
          });
      server.jetty.start();
      long interval = options.pingInterval().toMillis();
      var unused =
          server.timers.scheduleAtFixedRate(
              server::pingAll, interval, interval, TimeUnit.MILLISECONDS);
      unused =
          server.timers.scheduleAtFixedRate(
              server.metricsHistory::sample,
              0,
              MetricsHistory.INTERVAL_MILLIS,
              TimeUnit.MILLISECONDS);
      // Checked every quarter of the timeout (at most every second): a connection that never
      // joins is closed within 1.25 timeouts.
      long joinCheck = Math.max(1, Math.min(1000, options.limits().joinTimeout().toMillis() / 4));
      unused =
          server.timers.scheduleAtFixedRate(
              () -> server.sync.closeUnjoined(options.limits().joinTimeout()),
              joinCheck,
              joinCheck,
              TimeUnit.MILLISECONDS);
      unused =
          server.timers.scheduleWithFixedDelay(
              server::housekeeping, 1, HOUSEKEEPING_MINUTES, TimeUnit.MINUTES);
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException(
          "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    log.info(
        "listening url=ws://{}:{}/ data={} storageId={}",
        options.host(),
        server.port(),
        options.dataDirectory(),
        server.sync.options().storageId());
    return server;
  }

  /**
   * Every {@value #HOUSEKEEPING_MINUTES} minutes: a retention sweep ({@link Retention}), then the
   * compacted documents whose replicas have all moved are purged.
   */
  void housekeeping() {
    try {
      retention.sweep();
      sync.settleCompactions();
    } catch (RuntimeException e) {
      // The timer thread must go on pinging; the next run tries again.
      log.warn("housekeeping failed: {}", e.toString());
    }
  }

  /** Retention's purge: the same path as a client's purge request. */
  private boolean purgeRetained(DocumentId id) {
    return sync.purge(id);
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public String host() {
    return options.host();
  }

  /** The sync lag measured so far (see {@code /metrics}, {@code converge_sync_lag_seconds}). */
  public SyncLag syncLag() {
    return metrics.syncLag();
  }

  /** The repository holding the server's copies. */
  public Repo repo() {
    return repo;
  }

  /** Graceful shutdown: stop accepting, close every connection, flush the store, close it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("shutting down connections={}", sync.connectionCount());
    try {
      connector.stop();
    } catch (Exception e) {
      log.warn("stopping the connector failed: {}", e.toString());
    }
    timers.shutdownNow();
    inspector.close();
    sync.close();
    try {
      backend.close();
    } catch (RuntimeException e) {
      log.warn("closing the backend failed: {}", e.toString());
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("stopping jetty failed: {}", e.toString());
    }
    try {
      repo.flush();
    } finally {
      try {
        repo.close();
      } finally {
        sealedRelay.close();
      }
    }
    log.info("stopped");
  }

  private static String storageId(Path directory) {
    Path file = directory.resolve(STORAGE_ID_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      String id = UUID.randomUUID().toString();
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  /** Plain HTTP beside the WebSocket. */
  private final class HttpEndpoints extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      switch (path) {
        case "/health":
          ServerBackend.Health health = backend.health();
          reply(
              response,
              callback,
              "application/json",
              "{\"status\":\""
                  + (health.ready() ? "ok" : "degraded")
                  + "\",\"connections\":"
                  + metrics.activeConnections()
                  + (health.jsonFields().isEmpty() ? "" : "," + health.jsonFields())
                  + "}\n");
          return true;
        case "/metrics":
          reply(
              response,
              callback,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics.scrape() + backend.metrics());
          return true;
        default:
          response.setStatus(HttpStatus.NOT_FOUND_404);
          reply(response, callback, "text/plain; charset=utf-8", "not found\n");
          return true;
      }
    }

    private void reply(Response response, Callback callback, String type, String body) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
      Content.Sink.write(response, true, body, callback);
    }
  }
}
