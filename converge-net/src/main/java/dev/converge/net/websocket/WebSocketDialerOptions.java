package dev.converge.net.websocket;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link WebSocketDialer}.
 *
 * @param bearerToken sent as {@code Authorization: Bearer TOKEN} on the upgrade request, if set
 * @param connectTimeout how long opening a connection may take
 * @param frameBytesMax the longest message accepted from the server; a longer one closes the
 *     connection
 * @param outboundBytesMax how many bytes may wait to be written; beyond, the connection is aborted
 *     rather than buffered without bound (the server reads too slowly or is gone)
 */
public record WebSocketDialerOptions(
    @Nullable String bearerToken,
    Duration connectTimeout,
    int frameBytesMax,
    long outboundBytesMax) {
  public WebSocketDialerOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (frameBytesMax < 1) {
      throw new IllegalArgumentException("frameBytesMax must be positive, was " + frameBytesMax);
    }
    if (outboundBytesMax < 1) {
      throw new IllegalArgumentException(
          "outboundBytesMax must be positive, was " + outboundBytesMax);
    }
  }

  /** No token, 10 s to connect, 64 MiB messages, 256 MiB waiting to be written. */
  public static final WebSocketDialerOptions DEFAULT =
      new WebSocketDialerOptions(null, Duration.ofSeconds(10), 64 << 20, 256L << 20);

  public WebSocketDialerOptions withBearerToken(String token) {
    return new WebSocketDialerOptions(token, connectTimeout, frameBytesMax, outboundBytesMax);
  }

  public Optional<String> token() {
    return Optional.ofNullable(bearerToken);
  }
}
