package dev.converge.net.client;

import dev.converge.net.gossip.RemoteHeadsSubscriptions;
import dev.converge.net.internal.ProtocolAccess;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.repo.DocumentId;
import java.util.Collection;
import java.util.List;

/**
 * What a {@link RepoPeer} says and hears besides sync: the ephemeral messages it broadcasts, relays
 * and delivers to its listeners, and the remote-heads gossip it subscribes to. Stateless but for
 * the messages seen and the subscriptions; reads the peer's sessions under the peer's lock and
 * sends with no lock held.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class RepoPeerGossip {
  private final RepoPeer peer;
  private final EphemeralMessages ephemeral;
  final RemoteHeadsSubscriptions remoteHeads = new RemoteHeadsSubscriptions();

  RepoPeerGossip(RepoPeer peer) {
    this.peer = peer;
    this.ephemeral = new EphemeralMessages(peer.options.random());
  }

  /** See {@link RepoPeer#broadcast}. */
  int broadcast(DocumentId documentId, Bytes data) {
    ProtocolAccess.requireOneCborItem(peer.codec, data);
    List<RepoPeerSession> sessions;
    synchronized (peer.lock) {
      peer.requireOpen();
      sessions = peer.sessionsOf(documentId);
    }
    int sent = 0;
    for (RepoPeerSession session : sessions) {
      String remote = session.remotePeerId;
      if (remote != null && session.connection != null) {
        session.send(ephemeral.outgoing(peer.options.peerId(), remote, documentId, data));
        sent++;
      }
    }
    return sent;
  }

  void addEphemeralListener(DocumentId documentId, RepoPeer.EphemeralListener listener) {
    ephemeral.addListener(documentId, listener);
  }

  void removeEphemeralListener(DocumentId documentId, RepoPeer.EphemeralListener listener) {
    ephemeral.removeListener(documentId, listener);
  }

  /** See {@link RepoPeer#receiveEphemeral}. */
  void receiveEphemeral(RepoPeerSession session, String remote, RepoMessage.Ephemeral message) {
    DocumentId id = message.documentId();
    if (message.senderId().equals(peer.options.peerId())
        || !peer.options.sharePolicy().access(remote, id)
        || !ephemeral.firstSeen(message)) {
      return;
    }
    List<RepoPeerSession> peers;
    synchronized (peer.lock) {
      peers = peer.sessionsOf(id);
    }
    for (RepoPeerSession other : peers) {
      String target = other.remotePeerId;
      if (other != session && target != null && !target.equals(message.senderId())) {
        other.send(message.withTargetId(target));
      }
    }
    ephemeral.deliver(message);
  }

  /** See {@link RepoPeer#subscribeToRemotes} and {@link RepoPeer#unsubscribeFromRemotes}. */
  void changeSubscriptions(Collection<String> storageIds, boolean add) {
    List<String> changed;
    List<RepoPeerSession> sessions;
    synchronized (peer.lock) {
      peer.requireOpen();
      changed = add ? remoteHeads.subscribe(storageIds) : remoteHeads.unsubscribe(storageIds);
      sessions = peer.joinedSessions(); // the lock is reentrant
    }
    if (changed.isEmpty()) {
      return;
    }
    for (RepoPeerSession session : sessions) {
      String remote = session.remotePeerId;
      if (remote != null) {
        session.send(
            new RemoteSubscriptionChange(
                peer.options.peerId(),
                remote,
                add ? changed : List.of(),
                add ? List.of() : changed));
      }
    }
  }

  /**
   * Tells a peer that just joined of every subscription: called under the peer's lock, before the
   * documents start syncing, so that the server reports the subscribed heads of each as it opens.
   */
  void announceSubscriptions(RepoPeerSession session, String remote) {
    List<String> subscriptions = remoteHeads.subscriptions();
    if (!subscriptions.isEmpty()) {
      session.send(
          new RemoteSubscriptionChange(peer.options.peerId(), remote, subscriptions, List.of()));
    }
  }

  void addRemoteHeadsListener(DocumentId documentId, RepoPeer.RemoteHeadsListener listener) {
    remoteHeads.addListener(documentId, listener);
  }

  void removeRemoteHeadsListener(DocumentId documentId, RepoPeer.RemoteHeadsListener listener) {
    remoteHeads.removeListener(documentId, listener);
  }
}
