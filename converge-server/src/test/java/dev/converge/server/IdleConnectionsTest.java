package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.repo.DocumentId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, idle sockets: a connection that trickled a header line every 10 s stayed open for as
 * long as it liked, and an upgraded WebSocket that never sent {@code join} stayed open until the 10
 * minute idle timeout. Here the timeouts are short (2 s, so a client that does join is not slowed
 * past them on a loaded machine) and the waits for the server to act long (20 to 30 s), so the
 * tests say what happens without timing it. The per-address cap is tested from 127.0.0.2, which
 * Linux routes to the loopback interface like 127.0.0.1: the test's own HTTP and WebSocket clients,
 * at 127.0.0.1, are counted apart.
 */
class IdleConnectionsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path data;
  private ConvergeServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server =
        ConvergeServer.start(
            ServerOptions.defaults(data, 0)
                .withLimits(
                    ServerLimits.defaults()
                        .withUpgradeTimeout(TIMEOUT)
                        .withJoinTimeout(TIMEOUT)
                        .withConnectionsPerAddressMax(3)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * Writes {@code head} and then, if {@code trickle}, one header line every 200 ms for at most 20
   * s; true if the server closed the connection meanwhile. Both stay below what would end it
   * without the upgrade timeout: Jetty's 30 s idle timeout (which each line restarts anyway) and
   * its 8 KiB bound on a request head.
   */
  private boolean trickleUntilClosed(String head, boolean trickle) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      socket.setSoTimeout(200);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      for (int line = 0; System.nanoTime() < deadline; line++) {
        try {
          if (in.read() < 0) {
            return true;
          }
        } catch (SocketTimeoutException stillOpen) {
          if (trickle) {
            out.write(("X-Slow-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
          }
        } catch (IOException reset) {
          return true;
        }
      }
      return false;
    } catch (IOException writeToClosed) {
      return true;
    }
  }

  @Test
  void upgradeRequestTrickledALineAtATime_isClosedAfterTheUpgradeTimeout() throws Exception {
    assertTrue(
        trickleUntilClosed(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n",
            true),
        "the server closed a request head that never ends");
    assertTrue(trickleUntilClosed("", false), "and a connection that sends nothing");
    assertTrue(
        metrics().contains("converge_protocol_errors_total{kind=\"upgrade-timeout\"} 2.0"),
        metrics());
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), "a prompt request is answered");
  }

  @Test
  void webSocketThatNeverJoins_isClosedAfterTheJoinTimeout_oneThatJoinsStays() throws Exception {
    try (WsClient silent = new WsClient(http, server.port());
        WsClient joined = new WsClient(http, server.port())) {
      joined.join("joined");
      RepoMessage.ProtocolError error = silent.next(RepoMessage.ProtocolError.class);
      assertTrue(
          error.message().startsWith("no join within " + TIMEOUT.toMillis() + " ms"),
          error.message());
      assertTrue(silent.awaitClosed());
      joined.send(
          new RepoMessage.Request(
              "joined",
              "server",
              DocumentId.of(new byte[16]),
              Bytes.fromHex("42000001000000020284")));
      assertInstanceOf(DocUnavailable.class, joined.next(), "the joined client is still served");
      assertTrue(
          metrics().contains("converge_protocol_errors_total{kind=\"join-timeout\"} 1.0"),
          metrics());
    }
  }

  @Test
  void connectionsFromOneAddressPastTheCap_areClosed_otherAddressesConnect() throws Exception {
    InetAddress other = InetAddress.getByName("127.0.0.2");
    List<RawWebSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(new RawWebSocket(other, server.port(), "/"));
      }
      IOException refused =
          assertThrows(IOException.class, () -> new RawWebSocket(other, server.port(), "/"));
      assertTrue(String.valueOf(refused.getMessage()).contains("closed during the upgrade"));
      try (WsClient local = new WsClient(http, server.port())) {
        local.join("local"); // 127.0.0.1 has its own count
      }
      assertTrue(metrics().contains("converge_connections_refused_total 1.0"), metrics());

      open.remove(0).close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          open.add(new RawWebSocket(other, server.port(), "/"));
          break; // the closed one's place is free again
        } catch (IOException stillCounted) {
          assertTrue(System.nanoTime() < deadline, "a place frees when a connection closes");
          Thread.sleep(20);
        }
      }
    } finally {
      for (RawWebSocket socket : open) {
        socket.close();
      }
    }
  }
}
