package dev.converge.net.client;

import dev.converge.core.ConvergeException;
import dev.converge.net.internal.ForwardMessages;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.Forward;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RepoPeer}'s documents leaving: purges it asks servers for or hears of ({@link
 * PurgeMessages}), and compactions it makes or follows ({@link ForwardMessages}). Each stops the
 * document's sync with every peer before the local repository purges or settles it.
 *
 * <p>Thread-safety: safe for use by many threads; takes the peer's lock only through the peer.
 */
final class RepoPeerMoves {
  private static final Logger log = LoggerFactory.getLogger(RepoPeer.class);

  private final RepoPeer peer;
  private final Repo repo;
  private final PendingPurges purges = new PendingPurges();

  RepoPeerMoves(RepoPeer peer, Repo repo) {
    this.peer = peer;
    this.repo = repo;
  }

  /** See {@link RepoPeer#purge}. */
  CompletableFuture<Boolean> purge(DocumentId id) {
    List<RepoPeerSession> sessions = peer.joinedSessions();
    if (sessions.isEmpty()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot purge " + id + ": no server is connected to take the purge");
    }
    CompletableFuture<Boolean> done = purges.expect(id);
    for (RepoPeerSession session : sessions) {
      String remote = Objects.requireNonNull(session.remotePeerId);
      session.send(PurgeMessages.message(PurgeMessages.PURGE, peer.options.peerId(), remote, id));
    }
    return done;
  }

  /** A server answered {@code doc-unavailable}: it refused a purge we asked for, if any. */
  void unavailable(DocumentId id) {
    purges.refused(id); // a server answers a purge it takes with converge-purged only
  }

  /** A server says the document is purged: stop syncing it and purge the local copy. */
  void receivePurged(DocumentId id) {
    peer.forget(id);
    boolean existed;
    try {
      existed = repo.purge(id);
    } catch (ConvergeException e) {
      log.warn("purge of document={} that a server purged failed: {}", id, e.getMessage());
      purges.failed(id, e);
      return;
    }
    log.info("purged document={} as the server did (held here: {})", id, existed);
    purges.done(id, existed);
  }

  /** See {@link RepoPeer#compact}. */
  DocHandle compact(DocumentId id) {
    DocHandle successor = repo.compact(id);
    peer.forget(id);
    Optional<Forward> forward = repo.forwardOf(id);
    for (RepoPeerSession session : peer.joinedSessions()) {
      forward.ifPresent(link -> announce(session, link));
    }
    return successor;
  }

  /** Tells a server just joined of every compaction this repository made or moved past. */
  void announceAll(RepoPeerSession session) {
    for (Forward forward : repo.forwards()) {
      if (repo.isPurged(DocumentId.parse(forward.documentId()))) {
        announce(session, forward); // this replica moved: the server may be waiting for it
      }
    }
  }

  /** Tells the server on {@code session} of a compaction this repository made or moved past. */
  private void announce(RepoPeerSession session, Forward forward) {
    String remote = session.remotePeerId;
    if (remote != null) {
      session.send(
          ForwardMessages.message(
              ForwardMessages.COMPACTED, peer.options.peerId(), remote, forward));
    }
  }

  /**
   * A server says the document was compacted into a successor: record the link, stop syncing the
   * old document, fetch the successor, and once it is stored here drop the old copy if that loses
   * nothing ({@link Repo#settleForward}: a copy with edits the compaction did not see is kept).
   */
  void receiveMoved(Forward forward) {
    DocumentId old = DocumentId.parse(forward.documentId());
    DocumentId successor = DocumentId.parse(forward.successorId());
    CompletableFuture<DocHandle> fetched;
    try {
      repo.recordForward(forward);
      peer.forget(old);
      fetched = peer.find(successor);
    } catch (ConvergeException e) {
      log.warn("following document={} to successor={} failed: {}", old, successor, e.getMessage());
      return;
    }
    var unused =
        fetched
            .thenCompose(handle -> handle.whenDurable())
            // Not on the thread that completed the future: that is the store's writer, and the
            // purge below waits for the writer.
            .whenCompleteAsync(
                (stored, failure) -> {
                  if (failure != null) {
                    log.warn(
                        "fetching successor={} of document={} failed: {}",
                        successor,
                        old,
                        failure.getMessage());
                    return;
                  }
                  settle(old, successor);
                },
                peer.scheduler);
  }

  /** Purges the old copy of a compacted document if that loses nothing. */
  private void settle(DocumentId old, DocumentId successor) {
    try {
      boolean gone = repo.settleForward(old);
      log.info(
          "document={} moved to successor={}; old copy {}",
          old,
          successor,
          gone ? "purged" : "kept: it holds edits the compaction did not see");
    } catch (ConvergeException e) {
      log.warn("purge of compacted document={} failed: {}", old, e.getMessage());
    }
  }
}
