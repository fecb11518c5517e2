package dev.converge.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ConvergeServer}.
 *
 * @param host the address to bind; 127.0.0.1 unless the operator says otherwise
 * @param port the TCP port; 0 picks a free one
 * @param dataDirectory where the server's repository lives
 * @param frameBytesMax the longest WebSocket message accepted; a longer one closes the connection
 * @param outboundBytesMax how many bytes may wait to be written to one slow client before it is
 *     disconnected
 * @param documentsPerConnectionMax how many documents one connection may sync
 * @param idleTimeout how long a silent connection stays open
 */
public record ServerOptions(
    String host,
    int port,
    Path dataDirectory,
    int frameBytesMax,
    long outboundBytesMax,
    int documentsPerConnectionMax,
    Duration idleTimeout) {
  public ServerOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
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
    if (documentsPerConnectionMax < 1) {
      throw new IllegalArgumentException(
          "documentsPerConnectionMax must be positive, was " + documentsPerConnectionMax);
    }
  }

  /** Loopback, 64 MiB frames, 256 MiB of backlog per client, 10,000 documents per connection. */
  public static ServerOptions defaults(Path dataDirectory, int port) {
    return new ServerOptions(
        "127.0.0.1", port, dataDirectory, 64 << 20, 256L << 20, 10_000, Duration.ofMinutes(10));
  }

  public ServerOptions withHost(String value) {
    return new ServerOptions(
        value,
        port,
        dataDirectory,
        frameBytesMax,
        outboundBytesMax,
        documentsPerConnectionMax,
        idleTimeout);
  }

  public ServerOptions withFrameBytesMax(int value) {
    return new ServerOptions(
        host,
        port,
        dataDirectory,
        value,
        Math.max(outboundBytesMax, value),
        documentsPerConnectionMax,
        idleTimeout);
  }
}
