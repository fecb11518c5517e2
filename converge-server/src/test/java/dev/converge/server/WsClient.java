package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved automerge-repo speaker over the JDK's WebSocket client, for tests that play a
 * client message by message: every message it receives is decoded and queued, and the close is
 * queued as the text {@code closed CODE}.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  static final MessageCodec CODEC = new MessageCodec();

  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  final WebSocket socket;

  /** Connects to {@code ws://127.0.0.1:PORT/QUERY} with {@code authorization} unless empty. */
  WsClient(HttpClient http, int port, String query, String authorization) throws Exception {
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (!authorization.isEmpty()) {
      builder.header("Authorization", authorization);
    }
    socket =
        builder
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/" + query), this)
            .get(10, TimeUnit.SECONDS);
  }

  WsClient(HttpClient http, int port) throws Exception {
    this(http, port, "", "");
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

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add("error " + error);
  }

  void send(byte[] frame) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(frame), true).get(10, TimeUnit.SECONDS);
  }

  void send(RepoMessage message) throws Exception {
    send(CODEC.encode(message));
  }

  /** The next message or close, waiting up to 30 s. */
  Object next() throws InterruptedException {
    Object event = events.poll(30, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("nothing from the server within 30 s");
    }
    return event;
  }

  /** The next event that is a message of {@code type}, skipping others. */
  <T> T next(Class<T> type) throws InterruptedException {
    while (true) {
      Object event = next();
      if (type.isInstance(event)) {
        return type.cast(event);
      }
      if (event instanceof String text && !type.equals(String.class)) {
        throw new AssertionError("expected a " + type.getSimpleName() + ", got " + text);
      }
    }
  }

  /** Joins as {@code peerId} and waits for the server's {@code peer}. */
  void join(String peerId) throws Exception {
    send(new RepoMessage.Join(peerId, PeerMetadata.ephemeral(), List.of("1")));
    assertInstanceOf(RepoMessage.Peer.class, next());
  }

  /** Whether the server closed the connection, waiting up to 30 s for the close. */
  boolean awaitClosed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Object event = events.poll(100, TimeUnit.MILLISECONDS);
      if (event instanceof String text) {
        return text.startsWith("closed") || text.startsWith("error");
      }
    }
    return false;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
