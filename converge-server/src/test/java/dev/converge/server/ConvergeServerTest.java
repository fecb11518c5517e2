package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real WebSockets (the JDK's client): HTTP endpoints and limits. */
class ConvergeServerTest {
  private static final MessageCodec CODEC = new MessageCodec();
  private static final int FRAME_BYTES_MAX = 1 << 16;

  @TempDir Path data;
  private ConvergeServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server =
        ConvergeServer.start(ServerOptions.defaults(data, 0).withFrameBytesMax(FRAME_BYTES_MAX));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A WebSocket client that collects binary messages and the close. */
  private final class Client implements WebSocket.Listener {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final WebSocket socket;

    Client() throws Exception {
      socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), this)
              .get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.writeBytes(bytes);
      if (last) {
        events.add(CODEC.decode(partial.toByteArray()));
        partial.reset();
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add("closed " + statusCode);
      return CompletableFuture.completedFuture(null);
    }

    void send(byte[] frame) throws Exception {
      socket.sendBinary(ByteBuffer.wrap(frame), true).get(10, TimeUnit.SECONDS);
    }

    Object next() throws InterruptedException {
      Object event = events.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("nothing from the server within 10 s");
      }
      return event;
    }

    void join(String peerId) throws Exception {
      send(CODEC.encode(new RepoMessage.Join(peerId, PeerMetadata.ephemeral(), List.of("1"))));
      assertInstanceOf(RepoMessage.Peer.class, next());
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void health_ok() throws Exception {
    HttpResponse<String> response = get("/health");
    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"status\":\"ok\""), response.body());
  }

  @Test
  void malformedCbor_closesThatConnectionWithAnError_othersUnaffected() throws Exception {
    Client good = new Client();
    good.join("good");
    Client bad = new Client();
    bad.join("bad");
    bad.send(new byte[] {(byte) 0xb9, 0x00, 0x05, 0x64, 't', 'y'});
    RepoMessage.ProtocolError error = assertInstanceOf(RepoMessage.ProtocolError.class, bad.next());
    assertTrue(error.message().contains("not valid CBOR"), error.message());
    assertEquals("closed 1008", bad.next());

    // The good client still speaks: an unknown document is unavailable, and it stays open.
    good.send(
        CODEC.encode(
            new RepoMessage.Request(
                "good",
                "server",
                dev.converge.repo.DocumentId.parse("2gPEzaT71LC5eGyYVyxKYCRaJd16"),
                dev.converge.net.protocol.Bytes.fromHex("42000001000000020284"))));
    assertInstanceOf(RepoMessage.DocUnavailable.class, good.next());
    String metrics = get("/metrics").body();
    assertTrue(
        metrics.contains("converge_protocol_errors_total{kind=\"malformed-message\"} 1.0"),
        metrics);
    assertTrue(metrics.contains("converge_connections_active"), metrics);
    assertTrue(metrics.contains("converge_messages_received_total{type=\"join\"} 2.0"), metrics);
  }

  @Test
  void frameOverLimit_closesConnectionWithAnError() throws Exception {
    Client big = new Client();
    big.join("big");
    big.send(new byte[FRAME_BYTES_MAX + 1]);
    RepoMessage.ProtocolError error = assertInstanceOf(RepoMessage.ProtocolError.class, big.next());
    assertTrue(error.message().contains("exceeds the limit"), error.message());
    assertEquals("closed 1008", big.next());
  }
}
