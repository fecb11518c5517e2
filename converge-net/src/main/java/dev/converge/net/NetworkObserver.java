package dev.converge.net;

/**
 * Hooks for metrics: a sync server calls these as connections and messages come and go. Methods may
 * be called from many threads at once and must not block.
 */
public interface NetworkObserver {
  NetworkObserver NONE = new NetworkObserver() {};

  default void connectionOpened() {}

  default void connectionClosed() {}

  /** A frame decoded as a message of {@code type}. */
  default void messageReceived(String type, int frameBytes) {}

  default void messageSent(String type, int frameBytes) {}

  /** A connection closed for a protocol violation of {@code kind}. */
  default void protocolError(String kind) {}

  /** Changes from a peer applied to a stored document. */
  default void changesApplied(int count) {}
}
