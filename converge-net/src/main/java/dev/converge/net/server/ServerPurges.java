package dev.converge.net.server;

import dev.converge.core.ConvergeException;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.repo.DocumentId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SyncServer}'s side of the purge messages ({@link PurgeMessages}). A {@value
 * PurgeMessages#PURGE} from a peer that may write the document (its {@link DocumentAccess}) makes
 * the server stop syncing the document with every peer (each gets {@code doc-unavailable}), purge
 * its copy ({@link DocumentStore#purge}) and answer {@value PurgeMessages#PURGED}; from a peer that
 * may not, it gets {@code doc-unavailable}, as for any document it cannot see, and nothing changes.
 * A {@value PurgeMessages#QUERY} is answered {@value PurgeMessages#PURGED} when the document was
 * purged and the peer may see it, and {@code doc-unavailable} otherwise.
 *
 * <p>Thread-safety: safe for use by many threads; called on the network's threads.
 */
final class ServerPurges {
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);

  /** What the purges need of one connection. */
  interface Peer {
    Optional<String> principal();

    String remotePeerId();

    void send(RepoMessage message);

    void unavailable(DocumentId id);
  }

  private final String serverPeerId;
  private final DocumentStore store;
  private final DocumentAccess access;
  private final BiConsumer<DocumentId, Peer> stopSyncing;

  /**
   * Purges under way: a peer told {@code doc-unavailable} by one may ask at once, before the store
   * finished, and must hear that the document is purged.
   */
  private final Set<DocumentId> purging = ConcurrentHashMap.newKeySet();

  /**
   * @param stopSyncing closes the server's shared copy of a document, telling each peer syncing it
   *     but the one that asked for the purge {@code doc-unavailable}
   */
  ServerPurges(
      String serverPeerId,
      DocumentStore store,
      DocumentAccess access,
      BiConsumer<DocumentId, Peer> stopSyncing) {
    this.serverPeerId = serverPeerId;
    this.store = store;
    this.access = access;
    this.stopSyncing = stopSyncing;
  }

  /**
   * Handles one purge message from {@code peer}.
   *
   * @throws MalformedMessageException if it names no valid document
   */
  void handle(Peer peer, RepoMessage.Unknown message) {
    DocumentId id = PurgeMessages.documentId(message);
    if (!access.allows(peer.principal(), id)) {
      peer.unavailable(id);
      return;
    }
    if (message.type().equals(PurgeMessages.PURGE)) {
      boolean existed;
      purging.add(id);
      try {
        stopSyncing.accept(id, peer);
        existed = store.purge(id);
      } catch (ConvergeException e) {
        log.warn("purge of document={} failed: {}", id, e.getMessage());
        peer.unavailable(id);
        return;
      } finally {
        purging.remove(id);
      }
      log.info(
          "purged document={} existed={} by user={}", id, existed, peer.principal().orElse("-"));
      peer.send(PurgeMessages.message(PurgeMessages.PURGED, serverPeerId, peer.remotePeerId(), id));
    } else if (message.type().equals(PurgeMessages.QUERY)) {
      if (purging.contains(id) || store.isPurged(id)) {
        peer.send(
            PurgeMessages.message(PurgeMessages.PURGED, serverPeerId, peer.remotePeerId(), id));
      } else {
        peer.unavailable(id);
      }
    }
    // PURGED from a client: a server takes purges only as requests.
  }
}
