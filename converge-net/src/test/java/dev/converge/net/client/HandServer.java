package dev.converge.net.client;

import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The server side spoken by hand, for one connection: answers {@code join} with {@code peer} as
 * {@code name}, records every message the peer sends, and sends what a test says.
 */
final class HandServer implements Acceptor, ConnectionHandler {
  private static final MessageCodec CODEC = new MessageCodec();

  final String name;
  final BlockingQueue<RepoMessage> received = new LinkedBlockingQueue<>();
  private volatile @Nullable Connection connection;

  HandServer(String name) {
    this.name = name;
  }

  @Override
  public ConnectionHandler accept(Connection opened) {
    connection = opened;
    return this;
  }

  @Override
  public void onFrame(byte[] frame) {
    RepoMessage message = CODEC.decode(frame);
    if (message instanceof RepoMessage.Join join) {
      send(new RepoMessage.Peer(name, join.senderId(), PeerMetadata.NONE, "1"));
    }
    received.add(message);
  }

  @Override
  public void onClose(String reason) {}

  void send(RepoMessage message) {
    Objects.requireNonNull(connection, "not connected").send(CODEC.encode(message));
  }

  /** Closes the connection, as a server going away does. */
  void close() {
    Objects.requireNonNull(connection, "not connected").close("closed by the test");
  }

  /** The next message of {@code type}, skipping others; fails after 10 s without one. */
  <T extends RepoMessage> T next(Class<T> type) throws InterruptedException {
    while (true) {
      RepoMessage message = received.poll(10, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
      }
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
  }
}
