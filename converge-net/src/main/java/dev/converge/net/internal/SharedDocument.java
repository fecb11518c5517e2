package dev.converge.net.internal;

import dev.converge.core.sync.SyncLimits;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.server.SyncServer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One document synced with several peers, the part of the protocol that a server ({@link
 * SyncServer}) and a client ({@link RepoPeer}) share: a {@link SyncState} and a {@link
 * PeerDocumentStatus} per peer, and after every message received, the next message for every peer.
 *
 * <p>Thread-safety: everything here runs under the lock of the document's {@link DocHandle}, the
 * lock its change listeners are called under, so sync states, the document and local changes stay
 * consistent without a second lock (and without a lock-order to get wrong).
 *
 * @param <P> how the owner names a peer (its connection)
 */
public final class SharedDocument<P> {
  /** Sends one sync message to a peer; must not block. */
  @FunctionalInterface
  public interface Sender<P> {
    void send(SharedDocument<P> document, P peer, PeerState state, SyncMessage message);
  }

  /** What we know of one peer for this document. */
  public static final class PeerState {
    public final SyncState syncState = new SyncState();
    public PeerDocumentStatus status = PeerDocumentStatus.UNKNOWN;
  }

  public final DocumentId id;
  public final DocHandle handle;
  private final Map<P, PeerState> peers = new LinkedHashMap<>();

  public SharedDocument(DocumentId id, DocHandle handle) {
    this.id = id;
    this.handle = handle;
  }

  /** Adds {@code peer} with a fresh sync state; false if it was there already. */
  public boolean addPeer(P peer) {
    synchronized (handle) {
      if (peers.containsKey(peer)) {
        return false;
      }
      peers.put(peer, new PeerState());
      return true;
    }
  }

  /** Removes {@code peer}; true if no peer is left. */
  public boolean removePeer(P peer) {
    synchronized (handle) {
      peers.remove(peer);
      return peers.isEmpty();
    }
  }

  boolean hasPeer(P peer) {
    synchronized (handle) {
      return peers.containsKey(peer);
    }
  }

  public List<P> peers() {
    synchronized (handle) {
      return new ArrayList<>(peers.keySet());
    }
  }

  /** The peers whose status is {@code status}. */
  public List<P> peersWith(PeerDocumentStatus status) {
    synchronized (handle) {
      List<P> found = new ArrayList<>();
      for (Map.Entry<P, PeerState> entry : peers.entrySet()) {
        if (entry.getValue().status == status) {
          found.add(entry.getKey());
        }
      }
      return found;
    }
  }

  /** Whether every peer (vacuously, none) said it lacks the document or asked us for it. */
  public boolean everyPeerLacks() {
    synchronized (handle) {
      for (PeerState state : peers.values()) {
        if (state.status != PeerDocumentStatus.UNAVAILABLE
            && state.status != PeerDocumentStatus.WANTS) {
          return false;
        }
      }
      return true;
    }
  }

  public Optional<PeerState> state(P peer) {
    synchronized (handle) {
      return Optional.ofNullable(peers.get(peer));
    }
  }

  /**
   * Applies {@code message} from {@code peer}, then offers every peer what it lacks (the sender at
   * least gets the answer the protocol needs).
   *
   * @return how many changes the document gained, -1 if {@code peer} is not syncing it, or {@link
   *     DocHandle.ChangeGate#DEFERRED} if the document's gate applies it later (then nobody is
   *     offered anything now: the state has not seen the message, and whoever applies it offers)
   * @throws dev.converge.core.ConvergeException if the message is malformed or breaks {@code
   *     limits}; nothing changed
   */
  public int receive(P peer, SyncMessage message, SyncLimits limits, Sender<P> sender) {
    synchronized (handle) {
      PeerState state = peers.get(peer);
      if (state == null) {
        return -1;
      }
      int applied = handle.receiveSyncMessage(state.syncState, message, limits);
      if (applied != DocHandle.ChangeGate.DEFERRED) {
        offerAll(sender);
      }
      return applied;
    }
  }

  /** Sends every peer the next sync message, where there is one. */
  public void offerAll(Sender<P> sender) {
    synchronized (handle) {
      for (Map.Entry<P, PeerState> entry : peers.entrySet()) {
        offer(entry.getKey(), entry.getValue(), sender);
      }
    }
  }

  /** Sends {@code peer} the next sync message, if there is one. */
  public void offer(P peer, Sender<P> sender) {
    synchronized (handle) {
      PeerState state = peers.get(peer);
      if (state != null) {
        offer(peer, state, sender);
      }
    }
  }

  private void offer(P peer, PeerState state, Sender<P> sender) {
    Optional<SyncMessage> next = handle.generateSyncMessage(state.syncState);
    if (next.isPresent()) {
      sender.send(this, peer, state, next.get());
    }
  }
}
