package dev.converge.net.websocket;

import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Dials a WebSocket server with the JDK's {@link java.net.http.WebSocket} (no dependency beyond the
 * JDK for applications that embed a client; it can set the {@code Authorization} header a bearer
 * token needs, which browsers cannot). One WebSocket binary message carries one frame.
 *
 * <p>The JDK allows one binary send in flight at a time, so frames wait in a queue bounded by
 * {@link WebSocketDialerOptions#outboundBytesMax()}: a server that stops reading gets the
 * connection aborted rather than an ever-growing queue. Messages from the server are reassembled up
 * to {@link WebSocketDialerOptions#frameBytesMax()}; a longer one is dropped as it arrives and
 * reported to the handler. The JDK answers the server's pings itself.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
public final class WebSocketDialer implements Dialer {
  private final URI uri;
  private final WebSocketDialerOptions options;
  private final HttpClient http;

  /**
   * @param uri {@code ws://} or {@code wss://} address of the server
   */
  public WebSocketDialer(URI uri, WebSocketDialerOptions options) {
    this(uri, options, HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build());
  }

  /**
   * A dialer that opens its connections through {@code http}: many dialers may share one client
   * (and its selector thread), as a process with many connections should.
   */
  public WebSocketDialer(URI uri, WebSocketDialerOptions options, HttpClient http) {
    String scheme = uri.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new IllegalArgumentException("expected a ws:// or wss:// URI, got " + uri);
    }
    this.uri = uri;
    this.options = Objects.requireNonNull(options, "options");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public CompletableFuture<Connection> dial(ConnectionHandler handler) {
    JdkConnection connection = new JdkConnection(handler, uri.toString(), options);
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.connectTimeout());
    options.token().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
    return builder
        .buildAsync(uri, connection)
        .thenApply(
            socket -> {
              connection.attach(socket);
              return connection;
            });
  }

  @Override
  public String description() {
    return uri.toString();
  }

  /** One JDK WebSocket as a {@link Connection}. */
  private static final class JdkConnection implements WebSocket.Listener, Connection {
    private final ConnectionHandler handler;
    private final String description;
    private final WebSocketDialerOptions options;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final AtomicBoolean ended = new AtomicBoolean();
    private long oversizedBytes = -1;

    // Guarded by this: frames waiting to be sent, their bytes, and whether a send is in flight.
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    private long outboundBytes;
    private boolean sending;
    private @Nullable String closeReason;
    private @Nullable WebSocket socket;

    JdkConnection(ConnectionHandler handler, String description, WebSocketDialerOptions options) {
      this.handler = handler;
      this.description = description;
      this.options = options;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      attach(webSocket);
      webSocket.request(1);
    }

    /** The socket is open (told by the listener or the dial, whichever comes first). */
    void attach(WebSocket webSocket) {
      synchronized (this) {
        socket = webSocket;
      }
      pump();
    }

    @Override
    public @Nullable CompletionStage<?> onBinary(
        WebSocket webSocket, ByteBuffer data, boolean last) {
      if (oversizedBytes >= 0) {
        oversizedBytes += data.remaining();
      } else if ((long) message.size() + data.remaining() > options.frameBytesMax()) {
        oversizedBytes = (long) message.size() + data.remaining();
        message.reset();
      } else {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        message.writeBytes(bytes);
      }
      if (last) {
        if (oversizedBytes >= 0) {
          long size = oversizedBytes;
          oversizedBytes = -1;
          handler.onOversizedFrame(size);
        } else {
          byte[] frame = message.toByteArray();
          message.reset();
          handler.onFrame(frame);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onText(
        WebSocket webSocket, CharSequence data, boolean last) {
      // automerge-repo speaks binary only: text is handed on as bytes and fails to decode.
      if (last) {
        handler.onFrame(data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(
        WebSocket webSocket, int statusCode, String reason) {
      end(statusCode + (reason.isEmpty() ? "" : " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      end("error: " + error);
    }

    private void end(String reason) {
      if (ended.compareAndSet(false, true)) {
        handler.onClose(reason);
      }
    }

    @Override
    public void send(byte[] frame) {
      synchronized (this) {
        if (ended.get() || closeReason != null) {
          return;
        }
        outboundBytes += frame.length;
        if (outboundBytes > options.outboundBytesMax()) {
          WebSocket current = socket;
          if (current != null) {
            current.abort();
          }
          outbound.clear();
          outboundBytes = 0;
          end("aborted: " + options.outboundBytesMax() + " bytes waiting to be written");
          return;
        }
        outbound.add(frame);
      }
      pump();
    }

    /** Starts the next send if none is in flight; the close goes out after the last frame. */
    private void pump() {
      WebSocket current;
      byte[] next;
      @Nullable String closing = null;
      synchronized (this) {
        current = socket;
        if (sending || current == null) {
          return;
        }
        next = outbound.poll();
        if (next == null) {
          closing = closeReason;
          if (closing == null) {
            return;
          }
        } else {
          outboundBytes -= next.length;
        }
        sending = true;
      }
      if (next != null) {
        var unused =
            current
                .sendBinary(ByteBuffer.wrap(next), true)
                .whenComplete(
                    (ignored, failure) -> {
                      synchronized (this) {
                        sending = false;
                      }
                      if (failure != null) {
                        current.abort();
                        // Not on this thread: a send that fails at once lands here inside the
                        // caller's send, which may hold a document's lock, and the close handler
                        // takes the peer's; a receive takes them in the other order.
                        var unusedEnd =
                            CompletableFuture.runAsync(() -> end("send failed: " + failure));
                      } else {
                        pump();
                      }
                    });
      } else {
        String endReason = Objects.requireNonNull(closing);
        String reason = endReason.length() <= 100 ? endReason : endReason.substring(0, 100);
        var unused =
            current
                .sendClose(WebSocket.NORMAL_CLOSURE, reason)
                .whenComplete(
                    (ignored, failure) -> {
                      current.abort();
                      end(endReason);
                    });
      }
    }

    @Override
    public void close(String reason) {
      synchronized (this) {
        if (closeReason != null || ended.get()) {
          return;
        }
        closeReason = reason;
      }
      pump();
    }

    @Override
    public String description() {
      return description;
    }
  }
}
