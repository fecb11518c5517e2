package dev.converge.net.server;

import dev.converge.net.spi.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connection whose far end is the test itself, with no thread of its own: what the server sends
 * is kept in order until the test takes it, and a close is recorded. The test plays the transport
 * and calls the server's handler itself, so every run of a fuzz input is deterministic.
 *
 * <p>Thread-safety: confined to the test's thread, as the server sends only from the thread that
 * calls its handler when one connection is open and no other connection's frames arrive.
 */
final class RecordingConnection implements Connection {
  private final String description;
  private final List<byte[]> sent = new ArrayList<>();
  private long sentBytes;
  private Optional<String> closeReason = Optional.empty();

  RecordingConnection(String description) {
    this.description = description;
  }

  @Override
  public void send(byte[] frame) {
    if (closeReason.isPresent()) {
      return; // as a socket: nothing leaves after the close
    }
    sent.add(frame.clone());
    sentBytes += frame.length;
  }

  @Override
  public void close(String reason) {
    if (closeReason.isEmpty()) {
      closeReason = Optional.of(reason);
    }
  }

  @Override
  public String description() {
    return description;
  }

  /** The frames sent since the last call, oldest first. */
  List<byte[]> takeSent() {
    List<byte[]> frames = List.copyOf(sent);
    sent.clear();
    return frames;
  }

  /** Every byte the server sent on this connection, in all. */
  long sentBytes() {
    return sentBytes;
  }

  Optional<String> closeReason() {
    return closeReason;
  }
}
