package dev.converge.net.client;

import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.Dialer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote endpoint of a {@link RepoPeer}, dialed again after every close: a failed dial or a
 * closed connection schedules the next attempt on the peer's thread after the {@link
 * ReconnectBackoff} delay for the failures in a row so far (reset by a finished handshake).
 *
 * <p>Thread-safety: its mutable state is guarded by the peer's lock, or volatile.
 */
final class RepoPeerLink {
  private static final Logger log = LoggerFactory.getLogger(RepoPeer.class);

  final RepoPeer peer;
  final Dialer dialer;

  /** Failed attempts in a row (guarded by the peer's lock). */
  int failures;

  volatile @Nullable RepoPeerSession current;
  volatile @Nullable ScheduledFuture<?> retry;

  RepoPeerLink(RepoPeer peer, Dialer dialer) {
    this.peer = peer;
    this.dialer = dialer;
  }

  void dial() {
    RepoPeerSession session = new RepoPeerSession(this);
    synchronized (peer.lock) {
      if (peer.closed) {
        return;
      }
      current = session;
      retry = null;
    }
    CompletableFuture<Connection> dialing;
    try {
      dialing = dialer.dial(session);
    } catch (RuntimeException e) {
      dialing = CompletableFuture.failedFuture(e);
    }
    var unused =
        dialing.whenComplete(
            (connection, failure) -> {
              if (failure != null) {
                log.debug("dialing {} failed: {}", dialer.description(), failure.toString());
                redial(session);
                return;
              }
              boolean stale;
              synchronized (peer.lock) {
                stale = peer.closed || current != session;
                session.connection = connection;
              }
              if (stale) {
                connection.close("peer closed");
                return;
              }
              session.send(
                  new Join(
                      peer.options.peerId(),
                      peer.options.peerMetadata(),
                      List.of(RepoMessage.PROTOCOL_VERSION)));
            });
  }

  /** Schedules the next attempt after {@code session} ended; once per session. */
  void redial(RepoPeerSession session) {
    synchronized (peer.lock) {
      if (peer.closed || current != session || session.redialScheduled) {
        return;
      }
      session.redialScheduled = true;
      failures++;
      long delay = peer.options.backoff().delayMillis(failures, peer.options.random());
      log.debug("dialing {} again in {} ms", dialer.description(), delay);
      retry = peer.scheduler.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }
  }
}
