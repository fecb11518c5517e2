package dev.converge.net.server;

import dev.converge.core.ConvergeException;
import dev.converge.net.internal.ForwardMessages;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.Forward;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SyncServer}'s side of compaction ({@link ForwardMessages}).
 *
 * <p>A {@value ForwardMessages#COMPACTED} from a peer that may write both documents records the
 * link (the first link recorded for a document stays), stops syncing the old document with every
 * peer (each gets {@code doc-unavailable}, and the old copy takes no more changes), and is answered
 * {@value ForwardMessages#MOVED}. From then on the old ID is refused like a purged one, and a
 * Converge peer that asks why ({@value PurgeMessages#QUERY}) is told where it moved.
 *
 * <p>Known replicas: the server remembers, per document, every peer that synced it ({@link
 * #synced}), by the storage ID its {@code join} carried, or by its peer ID when it has none
 * (ephemeral peers, which keep nothing, are not counted). A replica has moved once it synced the
 * successor. When every known replica of the old document has moved, the server purges its copy
 * ({@link DocumentStore#settleForward}: only if the successor is stored here and the old copy holds
 * no change the compaction did not see). A replica that never comes back (a JavaScript client,
 * which does not know the link, comes back only if told the new URL some other way) keeps the
 * server's old copy, refused to everyone, until it syncs the successor or the old document is
 * purged by hand.
 *
 * <p>Thread-safety: safe for use by many threads; called on the network's threads.
 */
final class ServerCompactions {
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);

  private final String serverPeerId;
  private final DocumentStore store;
  private final DocumentAccess access;
  private final BiConsumer<DocumentId, ServerPurges.Peer> stopSyncing;

  /** The recorded links by successor ID: what {@link #synced} looks up for every document. */
  private final Map<String, Forward> bySuccessor = new ConcurrentHashMap<>();

  ServerCompactions(
      String serverPeerId,
      DocumentStore store,
      DocumentAccess access,
      BiConsumer<DocumentId, ServerPurges.Peer> stopSyncing) {
    this.serverPeerId = serverPeerId;
    this.store = store;
    this.access = access;
    this.stopSyncing = stopSyncing;
    for (Forward forward : store.forwards()) {
      bySuccessor.put(forward.successorId(), forward);
    }
  }

  /**
   * A {@value ForwardMessages#COMPACTED} from {@code peer}, whose replica name is {@code replica}
   * (empty for an ephemeral peer).
   *
   * @throws MalformedMessageException if the message is malformed
   */
  void compacted(ServerPurges.Peer peer, Optional<String> replica, RepoMessage.Unknown message) {
    Forward reported = ForwardMessages.forward(message);
    DocumentId old = DocumentId.parse(reported.documentId());
    DocumentId successor = DocumentId.parse(reported.successorId());
    if (!access.allows(peer.principal(), old) || !access.allows(peer.principal(), successor)) {
      peer.unavailable(old);
      return;
    }
    Forward forward;
    try {
      if (store.recordForward(reported)) {
        stopSyncing.accept(old, peer);
        log.info(
            "document={} compacted into successor={} by user={}",
            old,
            successor,
            peer.principal().orElse("-"));
      }
      forward = store.forwardOf(old).orElse(reported);
      bySuccessor.put(forward.successorId(), forward);
    } catch (ConvergeException e) {
      log.warn("recording the compaction of document={} failed: {}", old, e.getMessage());
      peer.unavailable(old);
      return;
    }
    replica.ifPresent(name -> store.recordReplica(successor, name));
    peer.send(
        ForwardMessages.message(ForwardMessages.MOVED, serverPeerId, peer.remotePeerId(), forward));
    purgeIfAllMoved(forward);
  }

  /**
   * Answers a {@value PurgeMessages#QUERY} for a compacted document with where it moved; returns
   * false, answering nothing, for a document that was not compacted.
   */
  boolean answerQuery(ServerPurges.Peer peer, DocumentId id) {
    Optional<Forward> forward = store.forwardOf(id);
    if (forward.isEmpty() || !access.allows(peer.principal(), id)) {
      return false;
    }
    peer.send(
        ForwardMessages.message(
            ForwardMessages.MOVED, serverPeerId, peer.remotePeerId(), forward.get()));
    return true;
  }

  /**
   * {@code replica} synced document {@code id} with this server (called once per connection and
   * document, when the peer first names it): it is a known replica of it, and if {@code id} is a
   * successor, one more replica of the old document may have moved.
   */
  void synced(DocumentId id, String replica) {
    store.recordReplica(id, replica);
    Forward forward = bySuccessor.get(id.toString());
    if (forward != null) {
      purgeIfAllMoved(forward);
    }
  }

  /**
   * Checks again every recorded link whose old document is not purged yet: a successor that reached
   * the server only after the last of its replicas moved is stored now.
   */
  void settleAll() {
    for (Forward forward : bySuccessor.values()) {
      purgeIfAllMoved(forward);
    }
  }

  private void purgeIfAllMoved(Forward forward) {
    DocumentId old = DocumentId.parse(forward.documentId());
    if (store.isPurged(old)) {
      return;
    }
    List<String> known = store.replicas(old);
    List<String> moved = store.replicas(DocumentId.parse(forward.successorId()));
    if (!moved.containsAll(known)) {
      return;
    }
    try {
      if (store.settleForward(old)) {
        log.info(
            "purged compacted document={}: its {} known replicas moved to successor={}",
            old,
            known.size(),
            forward.successorId());
      }
    } catch (ConvergeException e) {
      log.warn("purge of compacted document={} failed: {}", old, e.getMessage());
    }
  }
}
