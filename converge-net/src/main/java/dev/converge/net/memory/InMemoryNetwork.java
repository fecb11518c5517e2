package dev.converge.net.memory;

import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory transport for tests: {@link #connect} links a client handler to a server's {@link
 * Acceptor} through two one-way queues, each delivered in order on its own thread, as a socket
 * would. The server's queue may be bounded in bytes (frames the client sent that the server has not
 * handled yet): past the bound the server's handler hears {@link
 * ConnectionHandler#onMemoryExceeded} and no further frames.
 */
public final class InMemoryNetwork {
  private InMemoryNetwork() {}

  /**
   * Opens a connection from a client to {@code server}.
   *
   * @param name the client's name, as the server's {@link Connection#description()}
   * @return the client's end, through which it sends frames to the server
   */
  public static Connection connect(Acceptor server, String name, ConnectionHandler client) {
    return connect(server, name, Optional.empty(), client);
  }

  /**
   * Opens a connection from a client to {@code server} that the server sees as authenticated as
   * {@code principal} (see {@link Connection#principal()}).
   */
  public static Connection connect(
      Acceptor server, String name, Optional<String> principal, ConnectionHandler client) {
    return connect(server, name, principal, client, Long.MAX_VALUE);
  }

  /**
   * Opens a connection from a client to {@code server} whose frames wait for the server's handler
   * up to {@code serverInboxBytesMax} bytes in all.
   */
  public static Connection connect(
      Acceptor server,
      String name,
      Optional<String> principal,
      ConnectionHandler client,
      long serverInboxBytesMax) {
    if (serverInboxBytesMax < 1) {
      throw new IllegalArgumentException(
          "serverInboxBytesMax must be positive, was " + serverInboxBytesMax);
    }
    Link link = new Link();
    End clientEnd = new End(link, "server", Optional.empty(), Long.MAX_VALUE);
    End serverEnd = new End(link, name, principal, serverInboxBytesMax);
    // Frames the client sends go to the server's handler and vice versa.
    clientEnd.peer = serverEnd;
    serverEnd.peer = clientEnd;
    clientEnd.handler = client;
    serverEnd.handler = server.accept(serverEnd);
    return clientEnd;
  }

  /** Dials {@code server} in memory, as client {@code name}; every dial opens a new connection. */
  public static Dialer dialer(Acceptor server, String name) {
    return new Dialer() {
      @Override
      public CompletableFuture<Connection> dial(ConnectionHandler handler) {
        return CompletableFuture.completedFuture(connect(server, name, handler));
      }

      @Override
      public String description() {
        return "in-memory:" + name;
      }
    };
  }

  private static final class Link {
    final AtomicBoolean closed = new AtomicBoolean();
  }

  private static final class End implements Connection {
    private final Link link;
    private final String description;
    private final Optional<String> principal;
    private final ExecutorService inbox;
    private final long inboxBytesMax;
    private final AtomicLong inboxBytes = new AtomicLong();
    private final AtomicBoolean overBound = new AtomicBoolean();
    private volatile End peer;
    private volatile ConnectionHandler handler;

    End(Link link, String description, Optional<String> principal, long inboxBytesMax) {
      this.link = link;
      this.description = description;
      this.principal = principal;
      this.inboxBytesMax = inboxBytesMax;
      this.inbox =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "in-memory-" + description);
                thread.setDaemon(true);
                return thread;
              });
      this.peer = this;
      this.handler = NO_HANDLER;
    }

    @Override
    public void send(byte[] frame) {
      if (link.closed.get()) {
        return;
      }
      peer.receive(frame.clone());
    }

    /** Queues a frame for this end's handler, within the inbox bound. */
    private void receive(byte[] frame) {
      if (overBound.get()) {
        return;
      }
      long queued = inboxBytes.addAndGet(frame.length);
      if (queued > inboxBytesMax) {
        inboxBytes.addAndGet(-frame.length);
        if (overBound.compareAndSet(false, true)) {
          deliver(() -> handler.onMemoryExceeded(queued, inboxBytesMax));
        }
        return;
      }
      deliver(
          () -> {
            try {
              if (!overBound.get()) {
                handler.onFrame(frame);
              }
            } finally {
              inboxBytes.addAndGet(-frame.length);
            }
          });
    }

    /** Frames sent before the close are still delivered, as a socket's closing handshake does. */
    void deliver(Runnable task) {
      inbox.execute(task);
    }

    @Override
    public void close(String reason) {
      if (link.closed.compareAndSet(false, true)) {
        End other = peer;
        inbox.execute(() -> handler.onClose(reason));
        other.inbox.execute(() -> other.handler.onClose(reason));
        inbox.shutdown();
        other.inbox.shutdown();
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
  }

  private static final ConnectionHandler NO_HANDLER =
      new ConnectionHandler() {
        @Override
        public void onFrame(byte[] frame) {}

        @Override
        public void onClose(String reason) {}
      };
}
