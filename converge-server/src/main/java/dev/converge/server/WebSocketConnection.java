package dev.converge.server;

import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty WebSocket session as a {@link Connection}: reassembles fragmented binary messages up to
 * {@code frameBytesMax} (a longer one is dropped as it arrives and reported), and bounds what waits
 * to be written to a slow client (beyond {@code outboundBytesMax} it is disconnected rather than
 * buffered).
 */
public final class WebSocketConnection implements Session.Listener, Connection {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

  private final Acceptor acceptor;
  private final int frameBytesMax;
  private final long outboundBytesMax;
  private final AtomicLong outboundBytes = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();
  private long oversizedBytes = -1;
  private @Nullable Session session;
  private @Nullable ConnectionHandler handler;
  private String description = "unknown";

  WebSocketConnection(Acceptor acceptor, int frameBytesMax, long outboundBytesMax) {
    this.acceptor = acceptor;
    this.frameBytesMax = frameBytesMax;
    this.outboundBytesMax = outboundBytesMax;
  }

  @Override
  public void onWebSocketOpen(Session opened) {
    this.session = opened;
    this.description = String.valueOf(opened.getRemoteSocketAddress());
    this.handler = acceptor.accept(this);
    opened.demand();
  }

  @Override
  public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin, Callback callback) {
    ConnectionHandler target = handler;
    Session current = session;
    try {
      if (target == null || current == null) {
        return;
      }
      if (oversizedBytes >= 0) {
        oversizedBytes += payload.remaining();
      } else if ((long) message.size() + payload.remaining() > frameBytesMax) {
        oversizedBytes = (long) message.size() + payload.remaining();
        message.reset();
      } else {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        message.writeBytes(bytes);
      }
      if (fin) {
        if (oversizedBytes >= 0) {
          long size = oversizedBytes;
          oversizedBytes = -1;
          target.onOversizedFrame(size);
        } else {
          byte[] frame = message.toByteArray();
          message.reset();
          target.onFrame(frame);
        }
      }
    } finally {
      callback.succeed();
      if (current != null && !closed.get()) {
        current.demand();
      }
    }
  }

  @Override
  public void onWebSocketPartialText(String payload, boolean fin) {
    // automerge-repo sends binary only; text is handed on as bytes and fails to decode.
    ConnectionHandler target = handler;
    if (target != null && fin) {
      target.onFrame(payload.getBytes(StandardCharsets.UTF_8));
    }
    Session current = session;
    if (current != null && !closed.get()) {
      current.demand();
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    closed.set(true);
    ConnectionHandler target = handler;
    if (target != null) {
      target.onClose(statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("websocket error from={}: {}", description, cause.toString());
  }

  @Override
  public void send(byte[] frame) {
    Session current = session;
    if (current == null || closed.get()) {
      return;
    }
    long waiting = outboundBytes.addAndGet(frame.length);
    if (waiting > outboundBytesMax) {
      log.warn(
          "disconnecting slow client from={}: {} bytes waiting, limit {}",
          description,
          waiting,
          outboundBytesMax);
      closed.set(true);
      current.disconnect();
      return;
    }
    current.sendBinary(
        ByteBuffer.wrap(frame),
        Callback.from(
            () -> outboundBytes.addAndGet(-frame.length),
            failure -> outboundBytes.addAndGet(-frame.length)));
  }

  @Override
  public void close(String reason) {
    Session current = session;
    if (current != null && closed.compareAndSet(false, true)) {
      int code =
          reason.startsWith("server shutting down")
              ? StatusCode.SHUTDOWN
              : StatusCode.POLICY_VIOLATION;
      current.close(code, truncate(reason), Callback.NOOP);
    }
  }

  @Override
  public String description() {
    return description;
  }

  /** A close reason must fit in a control frame (123 bytes of UTF-8). */
  private static String truncate(String reason) {
    return reason.length() <= 100 ? reason : reason.substring(0, 100);
  }
}
