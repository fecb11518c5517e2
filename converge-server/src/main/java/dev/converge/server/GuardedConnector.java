package dev.converge.server;

import dev.converge.net.internal.LogThrottle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TCP connector, bounding what a connection can hold before it is a WebSocket session
 * (whose own bounds then apply):
 *
 * <ul>
 *   <li>At most {@link ServerLimits#connectionsPerAddressMax()} open connections per client
 *       address; a further one is closed as soon as it is accepted, before it is read.
 *   <li>A plain HTTP connection must send each request head (the upgrade request, or a request for
 *       /health or /metrics) within {@link ServerLimits#upgradeTimeout()}: one that sends nothing,
 *       or trickles a head a line at a time (which resets an idle timeout on every line), is
 *       closed. Checked every half timeout, against the connection's counts of bytes and of request
 *       heads: a connection that completed no head in two checks running, having received nothing
 *       at all or bytes that make no head, is closed. A kept-alive connection that is silent
 *       between requests is left to the idle timeout.
 * </ul>
 *
 * <p>Thread-safety: Jetty calls it from its selector and worker threads; the counts are concurrent.
 */
final class GuardedConnector extends ServerConnector {
  private static final Logger log = LoggerFactory.getLogger(GuardedConnector.class);

  private final ServerLimits limits;
  private final ServerMetrics metrics;
  private final Map<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();
  private final LogThrottle refusals = new LogThrottle(TimeUnit.SECONDS.toNanos(10));
  private final LogThrottle upgradeTimeouts = new LogThrottle(TimeUnit.SECONDS.toNanos(10));

  GuardedConnector(Server server, ServerLimits limits, ServerMetrics metrics) {
    super(server);
    this.limits = limits;
    this.metrics = metrics;
  }

  /** How many connections {@code address} has open now. */
  int openFrom(InetAddress address) {
    return openByAddress.getOrDefault(address, 0);
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key) throws IOException {
    GuardedEndPoint endPoint =
        new GuardedEndPoint(channel, selector, key, getScheduler(), address(channel));
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }

  private static @Nullable InetAddress address(SocketChannel channel) throws IOException {
    SocketAddress remote = channel.getRemoteAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** Counts a connection from {@code address}; false if that address is at its cap. */
  private boolean admit(InetAddress address) {
    boolean[] admitted = new boolean[1];
    openByAddress.compute(
        address,
        (key, open) -> {
          int count = open == null ? 0 : open;
          admitted[0] = count < limits.connectionsPerAddressMax();
          return admitted[0] ? count + 1 : open;
        });
    return admitted[0];
  }

  private void release(InetAddress address) {
    openByAddress.computeIfPresent(address, (key, open) -> open <= 1 ? null : open - 1);
  }

  /** One TCP connection: counted per address while open, and timed until it is upgraded. */
  private final class GuardedEndPoint extends SocketChannelEndPoint {
    private final @Nullable InetAddress address;
    private final AtomicBoolean counted = new AtomicBoolean();
    private @Nullable Connection http; // the connection opened with; checks stop once replaced
    private long bytesInLastCheck;
    private long headsLastCheck;
    private int stalledChecks;

    GuardedEndPoint(
        SocketChannel channel,
        ManagedSelector selector,
        SelectionKey key,
        Scheduler scheduler,
        @Nullable InetAddress address) {
      super(channel, selector, key, scheduler);
      this.address = address;
    }

    @Override
    public void onOpen() {
      super.onOpen();
      InetAddress from = address;
      if (from == null) {
        return;
      }
      if (!admit(from)) {
        metrics.connectionRefused();
        OptionalLong heldBack = refusals.tryAcquire(System.nanoTime());
        if (heldBack.isPresent()) {
          log.warn(
              "refusing a connection from={}: {} open, the most one address may have{}",
              from.getHostAddress(),
              limits.connectionsPerAddressMax(),
              LogThrottle.heldBackSuffix(heldBack.getAsLong()));
        }
        close();
        return;
      }
      counted.set(true);
      http = getConnection();
      scheduleCheck();
    }

    @Override
    public void onClose(@Nullable Throwable cause) {
      super.onClose(cause);
      InetAddress from = address;
      if (from != null && counted.compareAndSet(true, false)) {
        release(from);
      }
    }

    private void scheduleCheck() {
      long periodMillis = Math.max(1, limits.upgradeTimeout().toMillis() / 2);
      var unused = getScheduler().schedule(this::check, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs every half upgrade timeout until the connection closes or is upgraded. */
    private void check() {
      if (!isOpen()) {
        return;
      }
      Connection current = getConnection();
      if (http == null) {
        http = current;
      } else if (current != http) {
        return; // upgraded to a WebSocket: the join timeout and pings take over
      }
      long heads = current.getMessagesIn();
      long bytesIn = current.getBytesIn();
      boolean stalled = heads == headsLastCheck && (heads == 0 || bytesIn > bytesInLastCheck);
      headsLastCheck = heads;
      bytesInLastCheck = bytesIn;
      stalledChecks = stalled ? stalledChecks + 1 : 0;
      if (stalledChecks >= 2) {
        metrics.protocolError("upgrade-timeout");
        OptionalLong heldBack = upgradeTimeouts.tryAcquire(System.nanoTime());
        if (heldBack.isPresent()) {
          log.info(
              "closing connection from={}: no complete request head within {} ms{}",
              getRemoteSocketAddress(),
              limits.upgradeTimeout().toMillis(),
              LogThrottle.heldBackSuffix(heldBack.getAsLong()));
        }
        close();
        return;
      }
      scheduleCheck();
    }
  }
}
