package dev.converge.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link ConvergeServer}.
 *
 * @param host the address to bind; 127.0.0.1 unless the operator says otherwise
 * @param port the TCP port; 0 picks a free one
 * @param dataDirectory where the server's repository lives
 * @param frameBytesMax the longest WebSocket message accepted; a longer one closes the connection
 * @param outboundBytesMax how many bytes may wait to be written to one slow client before it is
 *     disconnected
 * @param connectionBytesMax how many bytes one connection may hold in all (the message being
 *     received or handled, and the frames waiting to be written); beyond, it is closed with an
 *     error message
 * @param documentsPerConnectionMax how many documents one connection may sync
 * @param idleTimeout how long a silent connection stays open
 * @param messagesPerSecondMax how many messages one connection may send per second on average
 * @param pingInterval how often the server pings each client; one that has not answered the
 *     previous ping by the next is disconnected
 * @param tokenFile the token file (see README, "Access"); absent: anyone may connect and every
 *     document is open to every client that knows its ID
 * @param limits the bounds across connections, and on connections not yet sync sessions
 * @param retainDays purge documents nobody used for this many days (see {@link Retention}); 0 keeps
 *     every document for good
 */
public record ServerOptions(
    String host,
    int port,
    Path dataDirectory,
    int frameBytesMax,
    long outboundBytesMax,
    long connectionBytesMax,
    int documentsPerConnectionMax,
    Duration idleTimeout,
    int messagesPerSecondMax,
    Duration pingInterval,
    @Nullable Path tokenFile,
    ServerLimits limits,
    int retainDays) {
  public ServerOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(pingInterval, "pingInterval");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (frameBytesMax < 1) {
      throw new IllegalArgumentException("frameBytesMax must be positive, was " + frameBytesMax);
    }
    if (outboundBytesMax < frameBytesMax) {
      throw new IllegalArgumentException(
          "outboundBytesMax ("
              + outboundBytesMax
              + ") must be at least frameBytesMax ("
              + frameBytesMax
              + ")");
    }
    if (connectionBytesMax < frameBytesMax) {
      // Else a frame the server accepts could not be held while it arrives.
      throw new IllegalArgumentException(
          "connectionBytesMax ("
              + connectionBytesMax
              + ") must be at least frameBytesMax ("
              + frameBytesMax
              + ")");
    }
    if (documentsPerConnectionMax < 1) {
      throw new IllegalArgumentException(
          "documentsPerConnectionMax must be positive, was " + documentsPerConnectionMax);
    }
    if (messagesPerSecondMax < 1) {
      throw new IllegalArgumentException(
          "messagesPerSecondMax must be positive, was " + messagesPerSecondMax);
    }
    if (retainDays < 0) {
      throw new IllegalArgumentException("retainDays must be >= 0, was " + retainDays);
    }
    if (pingInterval.toMillis() < 1) {
      throw new IllegalArgumentException("pingInterval must be at least 1 ms, was " + pingInterval);
    }
  }

  /**
   * Loopback, 64 MiB frames, 256 MiB of backlog per client but 128 MiB held per connection in all
   * (one largest frame each way), 10,000 documents and 1,000 messages a second per connection, a
   * ping every 5 s (as the JavaScript server), no tokens, and {@link ServerLimits#defaults()}.
   */
  public static ServerOptions defaults(Path dataDirectory, int port) {
    return new ServerOptions(
        "127.0.0.1",
        port,
        dataDirectory,
        64 << 20,
        256L << 20,
        128L << 20,
        10_000,
        Duration.ofMinutes(10),
        1_000,
        Duration.ofSeconds(5),
        null,
        ServerLimits.defaults(),
        0);
  }

  public Optional<Path> tokenFileIfSet() {
    return Optional.ofNullable(tokenFile);
  }

  public ServerOptions withHost(String value) {
    return new ServerOptions(
        value,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        tokenFile,
        limits,
        retainDays);
  }

  /**
   * Also raises {@code outboundBytesMax} and {@code connectionBytesMax} to {@code value} if they
   * were lower.
   */
  public ServerOptions withFrameBytesMax(int value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        value,
        Math.max(outboundBytesMax, value),
        Math.max(connectionBytesMax, value),
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        tokenFile,
        limits,
        retainDays);
  }

  public ServerOptions withOutboundBytesMax(long value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        value,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        tokenFile,
        limits,
        retainDays);
  }

  public ServerOptions withConnectionBytesMax(long value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        value,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        tokenFile,
        limits,
        retainDays);
  }

  public ServerOptions withMessagesPerSecondMax(int value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        value,
        pingInterval,
        tokenFile,
        limits,
        retainDays);
  }

  public ServerOptions withPingInterval(Duration value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        value,
        tokenFile,
        limits,
        retainDays);
  }

  public ServerOptions withTokenFile(Path value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        value,
        limits,
        retainDays);
  }

  public ServerOptions withLimits(ServerLimits value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        tokenFile,
        value,
        retainDays);
  }

  /** These options with documents nobody used for {@code value} days purged; 0 keeps them all. */
  public ServerOptions withRetainDays(int value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        connectionBytesMax,
        documentsPerConnectionMax,
        idleTimeout,
        messagesPerSecondMax,
        pingInterval,
        tokenFile,
        limits,
        value);
  }
}
