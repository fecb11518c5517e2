package dev.converge.net.client;

import dev.converge.core.ConvergeException;
import dev.converge.net.internal.ForwardMessages;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.protocol.FrameTooLargeException;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.Peer;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.Request;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a {@link RepoPeerLink}, from dial to close: it sends the peer's messages and
 * hands the remote peer's to the {@link RepoPeer}. The handshake ({@code peer} in answer to our
 * {@code join}) comes first; after it only the peer that answered speaks on the connection, but for
 * the ephemeral messages it relays. A message that does not decode or that the peer rejects (a
 * {@link ConvergeException}), or a frame over the size limit, closes the connection with an {@code
 * error} message.
 *
 * <p>Thread-safety: {@link #send} and {@link #close} may be called from any thread; the fields are
 * volatile, but for {@link #redialScheduled}, which the peer's lock guards.
 */
final class RepoPeerSession implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(RepoPeer.class);

  final RepoPeerLink link;
  private final RepoPeer peer;
  volatile @Nullable Connection connection;
  volatile @Nullable String remotePeerId;
  volatile @Nullable String remoteStorageId;

  /** Guarded by the peer's lock. */
  boolean redialScheduled;

  /** Documents this connection asked the server about ({@link PurgeMessages#QUERY}), once each. */
  final java.util.Set<dev.converge.repo.DocumentId> purgeQueried =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  RepoPeerSession(RepoPeerLink link) {
    this.link = link;
    this.peer = link.peer;
  }

  void send(RepoMessage message) {
    Connection current = connection;
    if (current != null) {
      current.send(peer.codec.encode(message));
    }
  }

  @Override
  public void onFrame(byte[] frame) {
    try {
      handle(peer.codec.decode(frame));
    } catch (ConvergeException e) {
      fail(e.getMessage());
    }
  }

  private void handle(RepoMessage message) {
    String remote = remotePeerId;
    if (message instanceof ProtocolError error) {
      log.warn("peer={} via={} reported: {}", remote, link.dialer.description(), error.message());
      close("peer reported an error");
    } else if (remote == null) {
      if (message instanceof Peer answer) {
        remoteStorageId = answer.peerMetadata().storageId();
        remotePeerId = answer.senderId();
        peer.peerJoined(this, answer.senderId());
      }
    } else if (message instanceof RepoMessage.Ephemeral relayed) {
      peer.receiveEphemeral(this, remote, relayed); // its senderId is whoever broadcast it
    } else if (!message.senderId().equals(remote)) {
      return; // only the peer that answered the handshake speaks on this connection
    } else if (message instanceof Request request) {
      peer.receiveSync(this, remote, request.documentId(), request.data(), true);
    } else if (message instanceof RepoMessage.Sync sync) {
      peer.receiveSync(this, remote, sync.documentId(), sync.data(), false);
    } else if (message instanceof DocUnavailable unavailable) {
      peer.receiveUnavailable(this, unavailable.documentId());
    } else if (message instanceof RepoMessage.Unknown unknown
        && unknown.type().equals(PurgeMessages.PURGED)) {
      peer.moves.receivePurged(PurgeMessages.documentId(unknown));
    } else if (message instanceof RepoMessage.Unknown unknown
        && unknown.type().equals(ForwardMessages.MOVED)) {
      peer.moves.receiveMoved(ForwardMessages.forward(unknown));
    } else if (message instanceof RemoteHeadsChanged changed) {
      for (RemoteHeadsEvent event : peer.gossip.remoteHeads.received(changed)) {
        peer.gossip.remoteHeads.deliver(event);
      }
    }
    // remote-subscription-change (we relay no gossip) and unknown types: not used by this peer.
  }

  private void fail(@Nullable String reason) {
    String text = reason == null ? "protocol error" : reason;
    log.warn("closing connection to {}: {}", link.dialer.description(), text);
    send(new ProtocolError(peer.options.peerId(), remotePeerId, text));
    close(text);
  }

  void close(String reason) {
    Connection current = connection;
    if (current != null) {
      current.close(reason);
    }
  }

  @Override
  public void onOversizedFrame(long frameBytes) {
    fail(
        new FrameTooLargeException(frameBytes, peer.options.codecLimits().frameBytesMax())
            .getMessage());
  }

  @Override
  public void onClose(String reason) {
    log.info("disconnected from {}: {}", link.dialer.description(), reason);
    peer.disconnected(this);
  }
}
