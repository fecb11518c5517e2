package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.core.ScalarValue;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits of {@code converge serve} over real sockets: keep-alive pings (a client that never answers
 * is disconnected, one that answers stays), a client that stops reading is disconnected once its
 * backlog passes the bound instead of being buffered without end, and one that floods the server
 * with requests is closed once what its connection holds passes the per-connection memory bound,
 * while a client beside it syncs. Waits are bounded polls of the server's connection count; nothing
 * asserts a duration.
 */
class ServerLimitsTest {
  private static final MessageCodec CODEC = new MessageCodec();

  @TempDir Path data;
  private @org.jspecify.annotations.Nullable ConvergeServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    ConvergeServer running = server;
    if (running != null) {
      running.close();
    }
  }

  private int port() {
    return java.util.Objects.requireNonNull(server, "server").port();
  }

  private long connections() throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return Long.parseLong(body.replaceAll("(?s).*\"connections\":(\\d+).*", "$1"));
  }

  private void awaitConnections(long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (connections() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still " + connections() + " connections, expected " + expected);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void clientThatNeverAnswersPings_isDisconnected_oneThatAnswers_stays() throws Exception {
    server =
        ConvergeServer.start(
            ServerOptions.defaults(data, 0).withPingInterval(Duration.ofMillis(100)));
    AtomicInteger pings = new AtomicInteger();
    WebSocket polite =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port() + "/"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                    pings.incrementAndGet(); // the JDK answers with a pong by itself
                    webSocket.request(1);
                    return CompletableFuture.completedFuture(null);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try (RawWebSocket mute = new RawWebSocket(port(), "/")) {
      awaitConnections(2);
      awaitConnections(1); // the mute one, after two pings without a pong
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (pings.get() < 5) {
        assertTrue(System.nanoTime() < deadline, "the polite client got " + pings + " pings");
        Thread.sleep(20);
      }
      assertEquals(1, connections(), "the polite client, which answered 5 pings, is still here");
      assertTrue(mute.drain() >= 0);
    } finally {
      polite.abort();
    }
  }

  @Test
  void clientThatStopsReading_isDisconnectedPastTheOutboundBound() throws Exception {
    int frameBytesMax = 512 << 10;
    ConvergeServer started =
        ConvergeServer.start(
            ServerOptions.defaults(data, 0)
                .withFrameBytesMax(frameBytesMax)
                .withOutboundBytesMax(1 << 20));
    server = started;
    SplittableRandom random = new SplittableRandom(9);
    List<DocumentId> ids = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      byte[] blob = new byte[256 << 10];
      random.nextBytes(blob);
      DocHandle handle = started.repo().create();
      handle.change(tx -> tx.put(ObjId.ROOT, "blob", ScalarValue.Bytes.of(blob)));
      ids.add(handle.id());
    }
    try (RawWebSocket slow = new RawWebSocket(port(), "/")) {
      slow.send(CODEC.encode(new RepoMessage.Join("slow", PeerMetadata.ephemeral(), List.of("1"))));
      for (DocumentId id : ids) {
        slow.send(
            CODEC.encode(
                new RepoMessage.Request(
                    "slow", "server", id, Bytes.fromHex("42000001000000020284"))));
      }
      awaitConnections(0); // without reading a byte
      long received = slow.drain();
      assertTrue(
          received < 64L * (256 << 10),
          "the server stopped sending: " + received + " bytes of " + 64L * (256 << 10));
    }
  }

  @Test
  void clientFloodingRequests_isClosedPastTheConnectionMemoryBound_otherClientSyncs()
      throws Exception {
    int frameBytesMax = 512 << 10;
    ConvergeServer started =
        ConvergeServer.start(
            ServerOptions.defaults(data, 0)
                .withFrameBytesMax(frameBytesMax)
                .withOutboundBytesMax(256L << 20)
                .withConnectionBytesMax(1 << 20));
    server = started;
    SplittableRandom random = new SplittableRandom(10);
    List<DocumentId> ids = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      byte[] blob = new byte[256 << 10];
      random.nextBytes(blob);
      DocHandle handle = started.repo().create();
      handle.change(tx -> tx.put(ObjId.ROOT, "blob", ScalarValue.Bytes.of(blob)));
      ids.add(handle.id());
    }
    URI uri = URI.create("ws://127.0.0.1:" + port() + "/");
    try (Repo repo = Repo.inMemory();
        RepoPeer polite =
            new RepoPeer(repo, RepoPeerOptions.of("polite", new SplittableRandom(11)));
        RawWebSocket flooder = new RawWebSocket(port(), "/")) {
      polite.connect(new WebSocketDialer(uri, WebSocketDialerOptions.DEFAULT));
      awaitConnections(2);
      flooder.send(
          CODEC.encode(new RepoMessage.Join("flooder", PeerMetadata.ephemeral(), List.of("1"))));
      for (DocumentId id : ids) {
        flooder.send(
            CODEC.encode(
                new RepoMessage.Request(
                    "flooder", "server", id, Bytes.fromHex("42000001000000020284"))));
      }
      awaitConnections(1); // the flooder, which never read a byte; the polite client stays
      assertTrue(
          metrics().contains("converge_protocol_errors_total{kind=\"connection-memory\"} 1.0"),
          "closed for its memory, not for another limit");
      DocHandle found = polite.find(ids.get(63)).get(30, TimeUnit.SECONDS);
      assertEquals(started.repo().find(ids.get(63)).orElseThrow().heads(), found.heads());
      assertTrue(flooder.drain() < 64L * (256 << 10), "the server stopped sending to the flooder");
    }
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
