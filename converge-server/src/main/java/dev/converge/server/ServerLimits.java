package dev.converge.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds that hold across connections, and on connections that are not yet sync sessions: what
 * one connection may hold is bounded by {@link ServerOptions}, these bound the many.
 *
 * @param bufferedBytesMax how many bytes all connections together may hold (frames being received
 *     or handled, frames waiting to be written); past half of it, ephemeral messages are dropped
 *     instead of queued, past all of it the connection holding the most is disconnected
 * @param connectionsPerAddressMax how many TCP connections (WebSocket or plain HTTP) one client
 *     address may have open; further ones are closed as soon as they are accepted
 * @param upgradeTimeout how long a plain HTTP connection may take to send a whole request head (the
 *     WebSocket upgrade request, or a request for /health or /metrics); a connection that sends
 *     nothing, or trickles a head, is closed after it
 * @param joinTimeout how long an upgraded WebSocket may stay open without sending {@code join}
 */
public record ServerLimits(
    long bufferedBytesMax,
    int connectionsPerAddressMax,
    Duration upgradeTimeout,
    Duration joinTimeout) {
  public ServerLimits {
    Objects.requireNonNull(upgradeTimeout, "upgradeTimeout");
    Objects.requireNonNull(joinTimeout, "joinTimeout");
    OptionChecks.requirePositive("bufferedBytesMax", bufferedBytesMax);
    OptionChecks.requirePositive("connectionsPerAddressMax", connectionsPerAddressMax);
    OptionChecks.requireMillis("upgradeTimeout", upgradeTimeout);
    OptionChecks.requireMillis("joinTimeout", joinTimeout);
  }

  /**
   * A quarter of the heap ({@link Runtime#maxMemory}) for buffers, 64 connections per address, 10 s
   * to send the upgrade, 10 s more to join.
   */
  public static ServerLimits defaults() {
    return new ServerLimits(
        defaultBufferedBytesMax(), 64, Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  /**
   * A quarter of the heap: the rest is left to documents, their sync states, and the copies a
   * message makes while it is decoded and applied.
   */
  public static long defaultBufferedBytesMax() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  public ServerLimits withBufferedBytesMax(long value) {
    return new ServerLimits(value, connectionsPerAddressMax, upgradeTimeout, joinTimeout);
  }

  public ServerLimits withConnectionsPerAddressMax(int value) {
    return new ServerLimits(bufferedBytesMax, value, upgradeTimeout, joinTimeout);
  }

  public ServerLimits withUpgradeTimeout(Duration value) {
    return new ServerLimits(bufferedBytesMax, connectionsPerAddressMax, value, joinTimeout);
  }

  public ServerLimits withJoinTimeout(Duration value) {
    return new ServerLimits(bufferedBytesMax, connectionsPerAddressMax, upgradeTimeout, value);
  }
}
