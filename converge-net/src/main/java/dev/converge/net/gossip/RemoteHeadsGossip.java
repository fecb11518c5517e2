package dev.converge.net.gossip;

import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.repo.DocumentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping of remote-heads gossip on a sync server, with the semantics of automerge-repo's
 * RemoteHeadsSubscriptions for a server that announces nothing (so has no "generous" peers and no
 * subscriptions of its own): which peers subscribed to which storage IDs ({@code
 * remote-subscription-change}), and the last heads known of each document at each storage ID, with
 * the time they were learned. The caller decides who hears what and sends the messages; this class
 * only remembers.
 *
 * <p>Everything here comes from peers, so everything is bounded: subscriptions per peer (the caller
 * checks {@link #subscriptionCount}), documents remembered (least recently updated forgotten
 * first), and storage IDs remembered per document (oldest forgotten first).
 *
 * <p>Thread-safety: safe for use by many threads; every method holds this object's lock, and none
 * calls out while holding it.
 *
 * @param <P> how the owner names a peer (its connection)
 */
public final class RemoteHeadsGossip<P> {
  private final int documentsMax;
  private final int storageIdsPerDocumentMax;
  private final Map<String, Set<P>> subscribers = new HashMap<>();
  private final Map<P, Set<String>> subscriptions = new HashMap<>();
  private final LinkedHashMap<DocumentId, LinkedHashMap<String, RemoteHeads>> known;

  public RemoteHeadsGossip(int documentsMax, int storageIdsPerDocumentMax) {
    this.documentsMax = documentsMax;
    this.storageIdsPerDocumentMax = storageIdsPerDocumentMax;
    this.known = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * Applies a peer's {@code remote-subscription-change}.
   *
   * @return the storage IDs the peer newly subscribed to
   */
  public synchronized List<String> subscribe(P peer, List<String> add, List<String> remove) {
    Set<String> mine = subscriptions.computeIfAbsent(peer, ignored -> new LinkedHashSet<>());
    for (String storageId : remove) {
      if (mine.remove(storageId)) {
        Set<P> peers = subscribers.get(storageId);
        if (peers != null) {
          peers.remove(peer);
          if (peers.isEmpty()) {
            subscribers.remove(storageId);
          }
        }
      }
    }
    List<String> added = new ArrayList<>();
    for (String storageId : add) {
      if (mine.add(storageId)) {
        subscribers.computeIfAbsent(storageId, ignored -> new LinkedHashSet<>()).add(peer);
        added.add(storageId);
      }
    }
    if (mine.isEmpty()) {
      subscriptions.remove(peer);
    }
    return added;
  }

  /** How many storage IDs {@code peer} subscribes to. */
  public synchronized int subscriptionCount(P peer) {
    Set<String> mine = subscriptions.get(peer);
    return mine == null ? 0 : mine.size();
  }

  public synchronized boolean isSubscribed(P peer, String storageId) {
    Set<String> mine = subscriptions.get(peer);
    return mine != null && mine.contains(storageId);
  }

  /** The peers subscribed to {@code storageId}. */
  public synchronized List<P> subscribersOf(String storageId) {
    Set<P> peers = subscribers.get(storageId);
    return peers == null ? List.of() : new ArrayList<>(peers);
  }

  /** The last heads known of {@code documentId} at each storage ID. */
  public synchronized Map<String, RemoteHeads> known(DocumentId documentId) {
    Map<String, RemoteHeads> heads = known.get(documentId);
    return heads == null ? Map.of() : new LinkedHashMap<>(heads);
  }

  /**
   * Records heads learned from a peer syncing with us directly, stamped with our clock.
   *
   * @return whether they differ from the heads known before
   */
  public synchronized boolean recordDirect(
      DocumentId documentId, String storageId, RemoteHeads heads) {
    RemoteHeads before = knownAt(documentId, storageId);
    if (before != null && before.heads().equals(heads.heads())) {
      return false;
    }
    put(documentId, storageId, heads);
    return true;
  }

  /**
   * Records heads a peer relayed, if somebody subscribes to {@code storageId} and they are newer
   * than those known (by the timestamp their storage peer's neighbour gave them, as automerge-repo
   * compares them).
   *
   * @return whether they were recorded, and so should be passed on
   */
  public synchronized boolean recordRelayed(
      DocumentId documentId, String storageId, RemoteHeads heads) {
    if (!subscribers.containsKey(storageId)) {
      return false;
    }
    RemoteHeads before = knownAt(documentId, storageId);
    if (before != null && before.timestamp() >= heads.timestamp()) {
      return false;
    }
    put(documentId, storageId, heads);
    return true;
  }

  /** Forgets {@code peer}'s subscriptions. */
  public synchronized void removePeer(P peer) {
    Set<String> mine = subscriptions.remove(peer);
    if (mine == null) {
      return;
    }
    for (String storageId : mine) {
      Set<P> peers = subscribers.get(storageId);
      if (peers != null) {
        peers.remove(peer);
        if (peers.isEmpty()) {
          subscribers.remove(storageId);
        }
      }
    }
  }

  private @Nullable RemoteHeads knownAt(DocumentId documentId, String storageId) {
    Map<String, RemoteHeads> heads = known.get(documentId);
    return heads == null ? null : heads.get(storageId);
  }

  private void put(DocumentId documentId, String storageId, RemoteHeads heads) {
    LinkedHashMap<String, RemoteHeads> forDocument =
        known.computeIfAbsent(documentId, ignored -> new LinkedHashMap<>());
    forDocument.remove(storageId); // re-inserted last: the newest is forgotten last
    forDocument.put(storageId, heads);
    if (forDocument.size() > storageIdsPerDocumentMax) {
      forDocument.remove(forDocument.keySet().iterator().next());
    }
    if (known.size() > documentsMax) {
      known.remove(known.keySet().iterator().next());
    }
  }
}
