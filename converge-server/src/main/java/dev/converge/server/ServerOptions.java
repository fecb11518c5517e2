package dev.converge.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
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
    OptionChecks.requirePositive("frameBytesMax", frameBytesMax);
    OptionChecks.requireAtLeast(
        "outboundBytesMax", outboundBytesMax, "frameBytesMax", frameBytesMax);
    // Else a frame the server accepts could not be held while it arrives.
    OptionChecks.requireAtLeast(
        "connectionBytesMax", connectionBytesMax, "frameBytesMax", frameBytesMax);
    OptionChecks.requirePositive("documentsPerConnectionMax", documentsPerConnectionMax);
    OptionChecks.requirePositive("messagesPerSecondMax", messagesPerSecondMax);
    if (retainDays < 0) {
      throw new IllegalArgumentException("retainDays must be >= 0, was " + retainDays);
    }
    OptionChecks.requireMillis("pingInterval", pingInterval);
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
    return edit(draft -> draft.host = value);
  }

  /**
   * Also raises {@code outboundBytesMax} and {@code connectionBytesMax} to {@code value} if they
   * were lower.
   */
  public ServerOptions withFrameBytesMax(int value) {
    return edit(
        draft -> {
          draft.frameBytesMax = value;
          draft.outboundBytesMax = Math.max(outboundBytesMax, value);
          draft.connectionBytesMax = Math.max(connectionBytesMax, value);
        });
  }

  public ServerOptions withOutboundBytesMax(long value) {
    return edit(draft -> draft.outboundBytesMax = value);
  }

  public ServerOptions withConnectionBytesMax(long value) {
    return edit(draft -> draft.connectionBytesMax = value);
  }

  public ServerOptions withMessagesPerSecondMax(int value) {
    return edit(draft -> draft.messagesPerSecondMax = value);
  }

  public ServerOptions withPingInterval(Duration value) {
    return edit(draft -> draft.pingInterval = value);
  }

  public ServerOptions withTokenFile(Path value) {
    return edit(draft -> draft.tokenFile = value);
  }

  public ServerOptions withLimits(ServerLimits value) {
    return edit(draft -> draft.limits = value);
  }

  /** These options with documents nobody used for {@code value} days purged; 0 keeps them all. */
  public ServerOptions withRetainDays(int value) {
    return edit(draft -> draft.retainDays = value);
  }

  /** These options with what {@code change} sets in a copy; validated as any new options are. */
  private ServerOptions edit(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** A mutable copy, so that each {@code with} method names only the fields it changes. */
  private static final class Draft {
    String host;
    int port;
    Path dataDirectory;
    int frameBytesMax;
    long outboundBytesMax;
    long connectionBytesMax;
    int documentsPerConnectionMax;
    Duration idleTimeout;
    int messagesPerSecondMax;
    Duration pingInterval;
    @Nullable Path tokenFile;
    ServerLimits limits;
    int retainDays;

    Draft(ServerOptions options) {
      host = options.host;
      port = options.port;
      dataDirectory = options.dataDirectory;
      frameBytesMax = options.frameBytesMax;
      outboundBytesMax = options.outboundBytesMax;
      connectionBytesMax = options.connectionBytesMax;
      documentsPerConnectionMax = options.documentsPerConnectionMax;
      idleTimeout = options.idleTimeout;
      messagesPerSecondMax = options.messagesPerSecondMax;
      pingInterval = options.pingInterval;
      tokenFile = options.tokenFile;
      limits = options.limits;
      retainDays = options.retainDays;
    }

    ServerOptions build() {
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
          retainDays);
    }
  }
}
