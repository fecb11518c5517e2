package dev.converge.server;

import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
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
 * buffered). Keep-alive: {@link #ping} sends a ping; a client that has not answered the previous
 * one by the next is disconnected, as the JavaScript server does.
 *
 * <p>Memory: the bytes this connection holds (the message being reassembled or handled, and the
 * frames queued to be written) are bounded by {@code connectionBytesMax}; past it the handler hears
 * {@link ConnectionHandler#onMemoryExceeded} (it sends its error and closes) and no further frame
 * is handed on. A connection asked to close that is still open at the next ping is disconnected: a
 * close handshake waits behind the queued frames, so a client that does not read would otherwise
 * keep them, and the connection, until the idle timeout.
 *
 * <p>Across connections: every byte counted here is counted in the server's {@link MemoryBudget}
 * too. Frames that may be lost ({@link #offer}) are dropped rather than queued when this client
 * already has {@value #DROPPABLE_BACKLOG_BYTES_MAX} bytes waiting or the budget is half full; when
 * the budget overflows, the connections holding the most are disconnected.
 */
public final class WebSocketConnection implements Session.Listener, Connection {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

  /**
   * Past this backlog a client is behind: it gets no more frames that may be lost (presence) until
   * it catches up, so a reader that does not read collects at most this much of them.
   */
  static final long DROPPABLE_BACKLOG_BYTES_MAX = 1 << 20;

  private final Acceptor acceptor;
  private final int frameBytesMax;
  private final long outboundBytesMax;
  private final long connectionBytesMax;
  private final AtomicLong outboundBytes = new AtomicLong();
  private final AtomicLong inboundBytes = new AtomicLong();
  private final AtomicBoolean overBound = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final MessageChunks chunks = new MessageChunks();
  private long oversizedBytes = -1;
  private @Nullable Session session;
  private @Nullable ConnectionHandler handler;
  private String description = "unknown";
  private final Optional<String> principal;
  private final Set<WebSocketConnection> live;
  private final AtomicBoolean awaitingPong = new AtomicBoolean();
  private final MemoryBudget budget;
  private final Executor executor;
  private MemoryBudget.@Nullable Share share;

  /**
   * @param principal who the upgrade request authenticated the client as
   * @param live the server's open connections, which this one joins while open (for pings)
   * @param budget what all connections together may hold
   * @param executor runs what must not run on the caller's thread: the disconnect of a connection
   *     evicted by the budget, and the handler's {@code onClose}
   */
  WebSocketConnection(
      Acceptor acceptor,
      ServerOptions options,
      Optional<String> principal,
      Set<WebSocketConnection> live,
      MemoryBudget budget,
      Executor executor) {
    this.acceptor = acceptor;
    this.budget = budget;
    this.executor = executor;
    this.frameBytesMax = options.frameBytesMax();
    this.outboundBytesMax = options.outboundBytesMax();
    this.connectionBytesMax = options.connectionBytesMax();
    this.principal = principal;
    this.live = live;
  }

  @Override
  public void onWebSocketOpen(Session opened) {
    this.session = opened;
    this.description = String.valueOf(opened.getRemoteSocketAddress());
    this.share = budget.join(description, this::evict);
    this.handler = acceptor.accept(this);
    live.add(this);
    opened.demand();
  }

  /**
   * Sends a keep-alive ping, or disconnects the client if the previous ping is still unanswered.
   *
   * @return false if the client was disconnected
   */
  boolean ping() {
    Session current = session;
    if (current == null) {
      return true;
    }
    if (closed.get()) {
      current.disconnect(); // asked to close a ping interval ago or more, and still open
      return true;
    }
    if (awaitingPong.getAndSet(true)) {
      closed.set(true);
      current.disconnect();
      return false;
    }
    current.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    return true;
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    awaitingPong.set(false);
    demandMore();
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    // Handling pings ourselves means answering them ourselves (Jetty does not when the listener
    // takes them), and asking for the next frame, as after every frame.
    Session current = session;
    if (current != null && !closed.get()) {
      current.sendPong(payload, Callback.NOOP);
    }
    demandMore();
  }

  private void demandMore() {
    Session current = session;
    if (current != null && !closed.get()) {
      current.demand();
    }
  }

  @Override
  public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin, Callback callback) {
    ConnectionHandler target = handler;
    Session current = session;
    try {
      if (target == null || current == null) {
        return;
      }
      if (overBound.get()) {
        chunks.clear();
        setInbound(0);
        return;
      }
      if (oversizedBytes >= 0) {
        oversizedBytes += payload.remaining();
      } else if (chunks.size() + payload.remaining() > frameBytesMax) {
        oversizedBytes = chunks.size() + payload.remaining();
        chunks.clear();
        setInbound(0);
      } else if (!hold(target, chunks.size() + payload.remaining())) {
        return;
      } else {
        chunks.add(payload);
      }
      if (fin) {
        if (oversizedBytes >= 0) {
          long size = oversizedBytes;
          oversizedBytes = -1;
          target.onOversizedFrame(size);
        } else {
          deliver(target);
        }
      }
    } finally {
      callback.succeed();
      if (current != null && !closed.get()) {
        current.demand();
      }
    }
  }

  /**
   * Counts {@code held} bytes of the message being received, against this connection's bound and
   * the server's; false if either is broken (this connection is then closing, and holds nothing).
   */
  private boolean hold(ConnectionHandler target, long held) {
    long total = held + outboundBytes.get();
    if (total > connectionBytesMax) {
      chunks.clear();
      setInbound(0);
      overBound(target, total);
      return false;
    }
    setInbound(held);
    budget.shedIfOver();
    if (closed.get()) {
      chunks.clear(); // evicted: this connection held the most
      setInbound(0);
      return false;
    }
    return true;
  }

  /**
   * Hands the complete message on. It stays counted while it is handled, so that what the handler
   * sends meanwhile is measured against the bounds with it; and the server's budget counts it twice
   * meanwhile, since decoding copies its payload (a 64 MiB sync message is 64 MiB more while its
   * changes are applied).
   */
  private void deliver(ConnectionHandler target) {
    long size = chunks.size();
    addToShare(size);
    budget.shedIfOver();
    if (closed.get()) {
      chunks.clear(); // evicted: this connection held the most
      setInbound(0);
      return;
    }
    byte[] frame = chunks.join();
    try {
      target.onFrame(frame);
    } finally {
      addToShare(-size);
      setInbound(0);
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
    releaseShare();
    live.remove(this);
    ConnectionHandler target = handler;
    if (target != null) {
      String text = statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason);
      // Jetty reports a failed write's close from inside the send that failed, on the sending
      // thread, which may hold a document's lock; the handler's onClose takes the sync layer's
      // locks in the other order. So it runs on a thread of its own.
      execute(() -> target.onClose(text));
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    // Terminal: the session is failed, and what it held is dropped with it.
    log.debug("websocket error from={}: {}", description, cause.toString());
    releaseShare();
  }

  /**
   * Runs {@code task} on the server's threads: never on one that may hold a document's lock. Inline
   * only when the server is stopping, when the sync layer has let go of every connection.
   */
  private void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException stopping) {
      task.run();
    }
  }

  /** Sets how many bytes of the message being received or handled this connection holds. */
  private void setInbound(long bytes) {
    long before = inboundBytes.getAndSet(bytes);
    addToShare(bytes - before);
  }

  private void addToShare(long delta) {
    MemoryBudget.Share current = share;
    if (current != null) {
      current.add(delta);
    }
  }

  private void releaseShare() {
    MemoryBudget.Share current = share;
    if (current != null) {
      current.release();
    }
  }

  /**
   * The budget overflowed and this connection held the most: no further frame is queued or handed
   * on, and it is disconnected on another thread (this may run under a document's lock).
   */
  private void evict() {
    closed.set(true);
    Session current = session;
    if (current != null) {
      execute(current::disconnect);
    }
  }

  /**
   * Queues a frame that may be lost, unless this client is behind ({@value
   * #DROPPABLE_BACKLOG_BYTES_MAX} bytes waiting) or the server's budget is half full.
   */
  @Override
  public boolean offer(long frameBytesEstimate, Supplier<byte[]> frame) {
    long waiting = outboundBytes.get();
    if (closed.get()
        || (waiting > 0 && waiting + frameBytesEstimate > DROPPABLE_BACKLOG_BYTES_MAX)
        || !budget.hasRoomForDroppable(frameBytesEstimate)) {
      return false;
    }
    send(frame.get());
    return true;
  }

  @Override
  public void send(byte[] frame) {
    Session current = session;
    if (current == null || closed.get()) {
      return;
    }
    long waiting = outboundBytes.addAndGet(frame.length);
    long total = waiting + inboundBytes.get();
    ConnectionHandler target = handler;
    if (total > connectionBytesMax && target != null && !overBound.get()) {
      outboundBytes.addAndGet(-frame.length);
      overBound(target, total); // the handler's error message comes through here again
      return;
    }
    if (waiting > outboundBytesMax) {
      log.warn(
          "disconnecting slow client from={}: {} bytes waiting, limit {}",
          description,
          waiting,
          outboundBytesMax);
      outboundBytes.addAndGet(-frame.length);
      closed.set(true);
      releaseShare();
      current.disconnect();
      return;
    }
    addToShare(frame.length);
    budget.shedIfOver();
    if (closed.get()) {
      outboundBytes.addAndGet(-frame.length); // evicted: this connection held the most
      addToShare(-frame.length);
      return;
    }
    current.sendBinary(
        ByteBuffer.wrap(frame),
        Callback.from(() -> written(frame.length), failure -> written(frame.length)));
  }

  /** A queued frame left: written, or dropped with the connection. */
  private void written(int frameBytes) {
    outboundBytes.addAndGet(-frameBytes);
    addToShare(-frameBytes);
  }

  /** Past the memory bound: once, the handler sends its error and closes. */
  private void overBound(ConnectionHandler target, long total) {
    if (overBound.compareAndSet(false, true)) {
      log.warn(
          "connection from={} holds {} bytes, bound {}: closing",
          description,
          total,
          connectionBytesMax);
      target.onMemoryExceeded(total, connectionBytesMax);
    }
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

  @Override
  public Optional<String> principal() {
    return principal;
  }

  /** A close reason must fit in a control frame (123 bytes of UTF-8). */
  private static String truncate(String reason) {
    return reason.length() <= 100 ? reason : reason.substring(0, 100);
  }
}
