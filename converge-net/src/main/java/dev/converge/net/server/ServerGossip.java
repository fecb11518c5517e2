package dev.converge.net.server;

import dev.converge.core.ChangeHash;
import dev.converge.net.gossip.RemoteHeadsGossip;
import dev.converge.net.gossip.UrlHeads;
import dev.converge.net.internal.SharedDocument;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.repo.DocumentId;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SyncServer}'s remote-heads gossip, as a JavaScript server with {@code
 * enableRemoteHeadsGossiping}: which peer subscribed to which storage IDs, the heads known at each,
 * and who hears of a change. A peer hears only of documents it syncs with us, and relays only about
 * those.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class ServerGossip {
  /** How many storage IDs one peer may subscribe to. */
  static final int SUBSCRIPTIONS_PER_PEER_MAX = 1024;

  private static final int GOSSIP_DOCUMENTS_MAX = 100_000;
  private static final int GOSSIP_STORAGE_IDS_PER_DOCUMENT_MAX = 64;
  private static final int GOSSIP_HEADS_MAX = 1024;

  private final RemoteHeadsGossip<ServerSession> gossip =
      new RemoteHeadsGossip<>(GOSSIP_DOCUMENTS_MAX, GOSSIP_STORAGE_IDS_PER_DOCUMENT_MAX);
  private final String ourStorage;
  private final ServerDocuments documents;
  private final InstantSource wallClock;
  private final AtomicLong lastTimestampMillis = new AtomicLong();

  /**
   * Gossip about the server's storage {@code ourStorage}, stamped with {@code wallClock} (peers
   * compare those stamps with their own clocks' as automerge-repo does).
   */
  ServerGossip(String ourStorage, ServerDocuments documents, InstantSource wallClock) {
    this.ourStorage = ourStorage;
    this.documents = documents;
    this.wallClock = wallClock;
  }

  /**
   * After a sync message from {@code peer}: tells it, if it just began syncing the document, the
   * heads it subscribed to; tells our storage's subscribers our new heads if the document changed;
   * and tells the subscribers of the peer's storage its heads if they changed.
   */
  void afterSync(
      ServerSession peer,
      SharedDocument<ServerSession> shared,
      boolean changed,
      boolean newlyOpened) {
    DocumentId id = shared.id;
    List<ChangeHash> ours;
    Optional<List<ChangeHash>> theirs;
    synchronized (shared.handle) {
      ours = shared.handle.heads();
      theirs = shared.state(peer).flatMap(state -> state.syncState.theirHeads());
    }
    if (newlyOpened) {
      for (Map.Entry<String, RemoteHeads> known : gossip.known(id).entrySet()) {
        if (gossip.isSubscribed(peer, known.getKey())) {
          peer.sendHeads(id, known.getKey(), known.getValue());
        }
      }
      if (!changed && gossip.isSubscribed(peer, ourStorage)) {
        peer.sendHeads(id, ourStorage, stamped(id, ours));
      }
    }
    if (changed) {
      tellOurHeads(id, ours);
    }
    String theirStorage = peer.storageId;
    if (theirStorage != null && theirs.isPresent() && !theirStorage.equals(ourStorage)) {
      RemoteHeads heads = stamped(id, theirs.get());
      if (gossip.recordDirect(id, theirStorage, heads)) {
        tellSubscribers(peer, id, theirStorage, heads);
      }
    }
  }

  /** Tells our storage's subscribers syncing {@code shared} its heads, after it changed. */
  void headsChanged(SharedDocument<ServerSession> shared) {
    List<ChangeHash> ours;
    synchronized (shared.handle) {
      ours = shared.handle.heads();
    }
    tellOurHeads(shared.id, ours);
  }

  private void tellOurHeads(DocumentId id, List<ChangeHash> ours) {
    RemoteHeads heads = stamped(id, ours);
    for (ServerSession subscriber : gossip.subscribersOf(ourStorage)) {
      if (subscriber.documents.contains(id)) {
        subscriber.sendHeads(id, ourStorage, heads);
      }
    }
  }

  /**
   * A {@code remote-subscription-change} from {@code peer}: then the heads we know at each newly
   * subscribed storage ID of every document it syncs.
   *
   * @return false, changing nothing, if the peer would hold more than {@link
   *     #SUBSCRIPTIONS_PER_PEER_MAX} subscriptions
   */
  boolean changeSubscriptions(ServerSession peer, RemoteSubscriptionChange change) {
    if (gossip.subscriptionCount(peer) + change.add().size() > SUBSCRIPTIONS_PER_PEER_MAX) {
      return false;
    }
    List<String> added = gossip.subscribe(peer, change.add(), change.remove());
    if (added.isEmpty()) {
      return true;
    }
    for (DocumentId id : List.copyOf(peer.documents)) {
      Map<String, RemoteHeads> known = gossip.known(id);
      for (String storage : added) {
        RemoteHeads heads = storage.equals(ourStorage) ? ourHeads(id) : known.get(storage);
        if (heads != null) {
          peer.sendHeads(id, storage, heads);
        }
      }
    }
    return true;
  }

  /**
   * A {@code remote-heads-changed} from {@code peer}, about heads at storage peers further away:
   * recorded and passed on to their subscribers if newer. Only about a document the peer syncs with
   * us, never about our own storage (we know our heads best).
   */
  void relayHeads(ServerSession peer, RemoteHeadsChanged changed) {
    DocumentId id = changed.documentId();
    if (!peer.documents.contains(id)) {
      return;
    }
    for (Map.Entry<String, RemoteHeads> entry : changed.newHeads().entrySet()) {
      String storage = entry.getKey();
      RemoteHeads heads = entry.getValue();
      if (storage.equals(ourStorage) || heads.heads().size() > GOSSIP_HEADS_MAX) {
        continue;
      }
      if (gossip.recordRelayed(id, storage, heads)) {
        tellSubscribers(peer, id, storage, heads);
      }
    }
  }

  /** Forgets {@code peer}'s subscriptions. */
  void removePeer(ServerSession peer) {
    gossip.removePeer(peer);
  }

  /** Tells the subscribers of {@code storage} that sync {@code id}, but not {@code source}. */
  private void tellSubscribers(
      ServerSession source, DocumentId id, String storage, RemoteHeads heads) {
    for (ServerSession subscriber : gossip.subscribersOf(storage)) {
      if (subscriber != source && subscriber.documents.contains(id)) {
        subscriber.sendHeads(id, storage, heads);
      }
    }
  }

  /** Our heads of {@code id}, stamped now; null if we no longer hold it. */
  private @Nullable RemoteHeads ourHeads(DocumentId id) {
    SharedDocument<ServerSession> shared = documents.get(id);
    if (shared == null) {
      return null;
    }
    List<ChangeHash> heads;
    synchronized (shared.handle) {
      heads = shared.handle.heads();
    }
    return stamped(id, heads);
  }

  private RemoteHeads stamped(DocumentId id, List<ChangeHash> heads) {
    return new RemoteHeads(UrlHeads.encode(id, heads), timestampMillis());
  }

  /**
   * A gossip timestamp: the wall clock, but never the same twice, because a peer ignores heads
   * whose stamp is not newer than the last it has.
   */
  private long timestampMillis() {
    long now = wallClock.millis();
    return lastTimestampMillis.updateAndGet(last -> Math.max(now, last + 1));
  }
}
