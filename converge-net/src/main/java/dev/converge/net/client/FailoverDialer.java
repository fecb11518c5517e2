package dev.converge.net.client;

import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dials one of several endpoints that serve the same documents (the nodes of a cluster): the first
 * at the start, and the next in the list after a dial that failed or a connection that closed,
 * round and round. Under a peer that dials again after every close ({@link RepoPeer#connect}), a
 * client whose node dies moves to the next node, with the peer's usual backoff between failed
 * attempts.
 *
 * <p>Thread-safety: {@link #dial} may be called from any thread.
 */
public final class FailoverDialer implements Dialer {
  private final List<Dialer> dialers;
  private final AtomicInteger current = new AtomicInteger();

  /**
   * @throws IllegalArgumentException if {@code dialers} is empty
   */
  public FailoverDialer(List<Dialer> dialers) {
    if (dialers.isEmpty()) {
      throw new IllegalArgumentException("a failover dialer needs at least one endpoint");
    }
    this.dialers = List.copyOf(dialers);
  }

  @Override
  public CompletableFuture<Connection> dial(ConnectionHandler handler) {
    int index = current.get();
    Dialer dialer = dialers.get(index);
    CompletableFuture<Connection> dialing;
    try {
      dialing = dialer.dial(new Watched(handler, index));
    } catch (RuntimeException e) {
      dialing = CompletableFuture.failedFuture(e);
    }
    return dialing.whenComplete(
        (connection, failure) -> {
          if (failure != null) {
            moveOn(index);
          }
        });
  }

  /** Moves to the endpoint after {@code from}, unless another thread moved already. */
  private void moveOn(int from) {
    current.compareAndSet(from, (from + 1) % dialers.size());
  }

  /** The endpoint the next dial goes to, for tests and logs. */
  public int currentIndex() {
    return current.get();
  }

  @Override
  public String description() {
    StringBuilder text = new StringBuilder("failover[");
    for (int i = 0; i < dialers.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(dialers.get(i).description());
    }
    return text.append(']').toString();
  }

  /** Passes every event on, and moves to the next endpoint when the connection closes. */
  private final class Watched implements ConnectionHandler {
    private final ConnectionHandler handler;
    private final int index;

    Watched(ConnectionHandler handler, int index) {
      this.handler = handler;
      this.index = index;
    }

    @Override
    public void onFrame(byte[] frame) {
      handler.onFrame(frame);
    }

    @Override
    public void onOversizedFrame(long frameBytes) {
      handler.onOversizedFrame(frameBytes);
    }

    @Override
    public void onMemoryExceeded(long bufferedBytes, long bytesMax) {
      handler.onMemoryExceeded(bufferedBytes, bytesMax);
    }

    @Override
    public void onClose(String reason) {
      moveOn(index);
      handler.onClose(reason);
    }
  }
}
