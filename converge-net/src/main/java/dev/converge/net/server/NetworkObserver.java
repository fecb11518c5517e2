package dev.converge.net.server;

import dev.converge.net.protocol.RepoMessage;

/**
 * Hooks for metrics: a sync server calls these as connections and messages come and go. Methods may
 * be called from many threads at once and must not block.
 */
public interface NetworkObserver {
  NetworkObserver NONE = new NetworkObserver() {};

  default void connectionOpened() {}

  default void connectionClosed() {}

  /**
   * A frame decoded as a message of {@code type}: one of the types {@link RepoMessage} knows, or
   * {@code other}.
   */
  default void messageReceived(String type, int frameBytes) {}

  default void messageSent(String type, int frameBytes) {}

  /**
   * A message of {@code type} that may be lost (an ephemeral one) was not sent, because its target
   * lagged or the server was short of memory.
   */
  default void messageDropped(String type) {}

  /** A connection closed for a protocol violation of {@code kind}. */
  default void protocolError(String kind) {}

  /**
   * A sync message carrying changes that arrived from one peer went to another peer of the
   * document, {@code nanos} after the frame that brought them arrived (the sync lag: the time until
   * the frame is handed to the other peer's connection).
   */
  default void changesForwarded(long nanos) {}

  /** A peer asked for or sent a document it has no access to, and got doc-unavailable. */
  default void accessDenied() {}

  /** Changes from a peer applied to a stored document. */
  default void changesApplied(int count) {}
}
