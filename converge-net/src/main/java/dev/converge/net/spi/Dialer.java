package dev.converge.net.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Opens connections to one remote peer, as a client does. A peer that keeps itself connected (see
 * {@link dev.converge.net.client.RepoPeer}) calls {@link #dial} again after every close.
 *
 * <p>Thread-safety: implementations accept {@link #dial} from any thread.
 */
public interface Dialer {
  /**
   * Starts opening a connection whose events go to {@code handler}.
   *
   * @return the connection once open; completes exceptionally if it cannot be opened
   */
  CompletableFuture<Connection> dial(ConnectionHandler handler);

  /** Where it dials, for logs. */
  String description();
}
