package dev.converge.net.gossip;

import dev.converge.net.client.RemoteHeadsEvent;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.internal.DocumentListeners;
import dev.converge.net.internal.HighWaterMarks;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.repo.DocumentId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link RepoPeer}'s side of remote-heads gossip, as automerge-repo's RemoteHeadsSubscriptions
 * does it for a client: the storage IDs we subscribed to (sent to each peer in a {@code
 * remote-subscription-change}), and of the {@code remote-heads-changed} reports that arrive, only
 * those about a storage ID we subscribed to and newer (by their timestamp) than the last one heard
 * of that document at that storage ID go to the listeners. The last timestamps of the {@value
 * #KNOWN_MAX} (document, storage ID) pairs heard most recently are kept.
 *
 * <p>Unlike a JavaScript Repo it passes no report on to other peers (it keeps no subscriptions of
 * theirs), and it does not report a directly connected peer's heads from the sync protocol: the
 * sync server gossips its own heads to the subscribers of its storage ID.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
public final class RemoteHeadsSubscriptions {
  /** As many as a sync server accepts of one peer. */
  public static final int SUBSCRIPTIONS_MAX = 1024;

  static final int KNOWN_MAX = 4096;

  /** Guarded by this. */
  private final Set<String> subscribed = new LinkedHashSet<>();

  private final HighWaterMarks lastTimestamps = new HighWaterMarks(KNOWN_MAX);

  private final DocumentListeners<RepoPeer.RemoteHeadsListener> listeners =
      new DocumentListeners<>();

  /**
   * Subscribes to {@code storageIds}.
   *
   * @return those not subscribed to before
   * @throws IllegalArgumentException if that would make more than {@value #SUBSCRIPTIONS_MAX}
   */
  public synchronized List<String> subscribe(Collection<String> storageIds) {
    List<String> added = new ArrayList<>();
    for (String storageId : storageIds) {
      if (!subscribed.contains(storageId) && !added.contains(storageId)) {
        added.add(storageId);
      }
    }
    if (subscribed.size() + added.size() > SUBSCRIPTIONS_MAX) {
      throw new IllegalArgumentException(
          "at most "
              + SUBSCRIPTIONS_MAX
              + " remote-heads subscriptions; "
              + subscribed.size()
              + " held, "
              + added.size()
              + " more asked");
    }
    subscribed.addAll(added);
    return added;
  }

  /** Unsubscribes from {@code storageIds}; returns those that were subscribed to. */
  public synchronized List<String> unsubscribe(Collection<String> storageIds) {
    List<String> removed = new ArrayList<>();
    for (String storageId : storageIds) {
      if (subscribed.remove(storageId)) {
        removed.add(storageId);
      }
    }
    return removed;
  }

  public synchronized List<String> subscriptions() {
    return List.copyOf(subscribed);
  }

  /**
   * The reports in {@code message} that are news to us, recorded as known.
   *
   * @throws MalformedMessageException if a head of a report about a subscribed storage ID is not a
   *     change hash; nothing was recorded then
   */
  public List<RemoteHeadsEvent> received(RemoteHeadsChanged message) {
    DocumentId id = message.documentId();
    List<RemoteHeadsEvent> candidates = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, RemoteHeads> entry : message.newHeads().entrySet()) {
        if (subscribed.contains(entry.getKey())) {
          RemoteHeads heads = entry.getValue();
          candidates.add(
              new RemoteHeadsEvent(
                  id, entry.getKey(), UrlHeads.decode(id, heads.heads()), heads.timestamp()));
        }
      }
      List<RemoteHeadsEvent> news = new ArrayList<>();
      for (RemoteHeadsEvent event : candidates) {
        if (lastTimestamps.advance(id + " " + event.storageId(), event.timestampMillis())) {
          news.add(event);
        }
      }
      return news;
    }
  }

  public void addListener(DocumentId documentId, RepoPeer.RemoteHeadsListener listener) {
    listeners.add(documentId, listener);
  }

  public void removeListener(DocumentId documentId, RepoPeer.RemoteHeadsListener listener) {
    listeners.remove(documentId, listener);
  }

  /** Tells the listeners of the event's document, on the calling thread. */
  public void deliver(RemoteHeadsEvent event) {
    listeners.tell(event.documentId(), listener -> listener.changed(event));
  }
}
