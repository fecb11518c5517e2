package dev.converge.net.client;

import dev.converge.core.ConvergeException;
import dev.converge.core.sync.SyncMessage;
import dev.converge.net.internal.PeerDocumentStatus;
import dev.converge.net.internal.SharedDocument;
import dev.converge.net.internal.SharedDocument.PeerState;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.PurgedDocumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents a {@link RepoPeer} syncs, by ID, and their bookkeeping: opening one and offering it
 * to the announce-peers, completing or failing a pending {@link RepoPeer#find}, and syncing a
 * handle the repo handed out in place of the one we had.
 *
 * <p>Thread-safety: none of its own. Every method is called holding the peer's lock (the lock
 * {@link RepoPeer} guards its own maps with), and takes the lock of a document's handle only under
 * it: the peer's lock always before a handle's.
 */
final class RepoPeerDocuments {
  private static final Logger log = LoggerFactory.getLogger(RepoPeer.class);

  private final Repo repo;
  private final RepoPeerOptions options;
  private final ScheduledExecutorService scheduler;

  /** The peer's links (guarded by its lock), read here to find the connected peers. */
  private final List<RepoPeerLink> links;

  private final Map<DocumentId, OpenDocument> documents = new HashMap<>();

  RepoPeerDocuments(
      Repo repo,
      RepoPeerOptions options,
      ScheduledExecutorService scheduler,
      List<RepoPeerLink> links) {
    this.repo = repo;
    this.options = options;
    this.scheduler = scheduler;
    this.links = links;
  }

  @Nullable OpenDocument get(DocumentId id) {
    return documents.get(id);
  }

  /** Stops syncing a document (it is being purged) with every peer. */
  void forget(DocumentId id) {
    OpenDocument document = documents.remove(id);
    if (document != null) {
      for (RepoPeerSession session : document.shared.peers()) {
        document.shared.removePeer(session);
      }
    }
  }

  /** {@code session}'s peer leaves every document (its connection closed). */
  void leave(RepoPeerSession session) {
    for (OpenDocument document : documents.values()) {
      document.shared.removePeer(session);
    }
  }

  boolean contains(DocumentId id) {
    return documents.containsKey(id);
  }

  /** The documents synced now, a live view. */
  Collection<OpenDocument> all() {
    return documents.values();
  }

  /**
   * Stops syncing every document (the peer is closing): drops our change listeners and returns the
   * pending requests, for the caller to fail outside the peer's lock.
   */
  List<CompletableFuture<DocHandle>> closeAll() {
    List<CompletableFuture<DocHandle>> pending = new ArrayList<>();
    for (OpenDocument document : documents.values()) {
      document.shared.handle.removeChangeListener(document.listener);
      CompletableFuture<DocHandle> requested = document.requested;
      if (requested != null) {
        pending.add(requested);
      }
    }
    documents.clear();
    return pending;
  }

  /**
   * The repo handed out {@code handle}: sync it, or sync it instead of the handle we had for its
   * document; holds the peer's lock.
   */
  void opened(DocHandle handle) {
    OpenDocument current = documents.get(handle.id());
    if (current == null) {
      open(handle, false);
    } else if (current.shared.handle != handle) {
      replace(current, handle);
    }
  }

  /**
   * Registers {@code handle} and begins syncing it with the announce-peers; holds the peer's lock.
   */
  OpenDocument open(DocHandle handle, boolean lacking) {
    OpenDocument document = new OpenDocument(handle, lacking, options.peerId());
    documents.put(handle.id(), document);
    handle.addChangeListener(document.listener);
    List<RepoPeerSession> announced = new ArrayList<>();
    boolean anyPeer = false;
    for (RepoPeerLink link : links) {
      RepoPeerSession session = link.current;
      String remote = session == null ? null : session.remotePeerId;
      if (session != null && remote != null) {
        anyPeer = true;
        if (options.sharePolicy().announce(remote, handle.id())) {
          announced.add(session);
        }
      }
    }
    if (anyPeer || !lacking) {
      beginSync(document, announced);
    }
    return document;
  }

  /** Starts syncing {@code document} with {@code sessions}; holds the peer's lock. */
  void beginSync(OpenDocument document, List<RepoPeerSession> sessions) {
    document.syncStarted = true;
    for (RepoPeerSession session : sessions) {
      if (document.shared.addPeer(session)) {
        document.shared.offer(session, document.sender);
      }
    }
    checkUnavailable(document);
  }

  /**
   * While we ask for {@code document}: gives up once every peer syncing it lacks it (said {@code
   * doc-unavailable} or asked us for it), telling those that asked; holds the peer's lock.
   */
  void checkUnavailable(OpenDocument document) {
    CompletableFuture<DocHandle> requested = document.requested;
    if (requested == null || !document.syncStarted) {
      return;
    }
    DocHandle handle = document.shared.handle;
    List<RepoPeerSession> wanting;
    synchronized (handle) {
      if (!handle.heads().isEmpty() || !document.shared.everyPeerLacks()) {
        return;
      }
      wanting = document.shared.peersWith(PeerDocumentStatus.WANTS);
      for (RepoPeerSession session : wanting) {
        document.shared.state(session).ifPresent(s -> s.status = PeerDocumentStatus.UNAVAILABLE);
      }
    }
    for (RepoPeerSession session : wanting) {
      String remote = session.remotePeerId;
      if (remote != null) {
        session.send(new DocUnavailable(options.peerId(), remote, handle.id()));
      }
    }
    documents.remove(handle.id());
    handle.removeChangeListener(document.listener);
    document.requested = null;
    // The empty placeholder we asked into stays in the repo: deleting it could race with its
    // creation in the store, and an empty document counts as lacking (see find) anyway.
    requested.completeExceptionally(
        new DocumentUnavailableException(
            handle.id(),
            document.shared.peers().isEmpty()
                ? "no connected peer is announced this document by the share policy"
                : "every peer asked answered doc-unavailable"));
  }

  /** Completes a {@link RepoPeer#find} once the document arrived; holds the peer's lock. */
  void checkArrived(OpenDocument document) {
    CompletableFuture<DocHandle> requested = document.requested;
    if (requested != null && !document.shared.handle.heads().isEmpty()) {
      document.requested = null;
      // Completed on the scheduler: the caller's continuations must not run under our lock.
      scheduler.execute(() -> requested.complete(document.shared.handle));
    }
  }

  /**
   * A sync message (a {@code request} if {@code ask}) from {@code session}'s peer {@code remote},
   * which has access to document {@code id}: opens the document if the repo has it or the peer
   * offers it (else answers {@code doc-unavailable}), syncs it with that peer and applies the
   * message. Holds the peer's lock, with the peer open.
   *
   * @throws ConvergeException if the message is the peer's fault: the connection closes
   */
  void receiveSync(
      RepoPeerSession session, String remote, DocumentId id, SyncMessage message, boolean ask) {
    OpenDocument document = documents.get(id);
    if (document == null) {
      Optional<DocHandle> found = repo.find(id).filter(handle -> !handle.heads().isEmpty());
      if (found.isPresent()) {
        document = open(found.get(), false);
      } else if (ask || message.heads().isEmpty()) {
        session.send(new DocUnavailable(options.peerId(), remote, id));
        return;
      } else {
        DocHandle offered;
        try {
          offered = repo.findOrCreate(id); // a peer offers us a document
        } catch (PurgedDocumentException e) {
          session.send(new DocUnavailable(options.peerId(), remote, id)); // purged here: refused
          return;
        }
        document = open(offered, false);
      }
    }
    SharedDocument<RepoPeerSession> shared = document.shared;
    boolean broken = false;
    synchronized (shared.handle) {
      shared.addPeer(session); // it asked or sent, and has access: we sync with it
      PeerState state = shared.state(session).orElseThrow();
      if (ask) {
        state.status = PeerDocumentStatus.WANTS;
      }
      if (!message.heads().isEmpty()) {
        state.status = PeerDocumentStatus.HAS;
      }
      try {
        shared.receive(session, message, options.syncLimits(), document.sender);
      } catch (ConvergeException e) {
        if (e.kind() != ConvergeException.Kind.CLOSED) {
          throw e; // the peer's fault: the connection closes with an error
        }
        broken = true; // ours: the handle cannot store what it receives
      }
    }
    if (broken) {
      reopenBroken(document, session);
      return;
    }
    checkArrived(document);
    checkUnavailable(document);
  }

  /**
   * Syncs {@code handle} instead of the handle {@code old} held, with fresh sync states, keeping a
   * pending {@link RepoPeer#find}. If the new handle lacks changes the old one had (it was broken,
   * and the log never got them), every connection starts over too: a peer's sync state would
   * otherwise count those changes as ours and never send them back. Holds the peer's lock.
   */
  OpenDocument replace(OpenDocument old, DocHandle handle) {
    boolean lostChanges = !old.shared.handle.heads().equals(handle.heads());
    if (lostChanges) {
      restartSessions();
    }
    documents.remove(old.shared.id);
    old.shared.handle.removeChangeListener(old.listener);
    CompletableFuture<DocHandle> requested = old.requested;
    OpenDocument replacement = open(handle, false);
    if (requested != null) {
      replacement.requested = requested;
      checkArrived(replacement);
      checkUnavailable(replacement);
    }
    return replacement;
  }

  /**
   * A sync message found {@code document}'s handle broken (an append failed): the repo loads the
   * document again from its log, and we sync that from the start; if it cannot, we stop syncing the
   * document. Either way the connection stays up. Holds the peer's lock.
   */
  private void reopenBroken(OpenDocument document, RepoPeerSession session) {
    DocumentId id = document.shared.id;
    OpenDocument current = documents.get(id);
    if (current == document) {
      Optional<DocHandle> fresh;
      try {
        fresh =
            repo.find(
                id); // a load reported to the peer's repoOpened on this thread, which ignores it
      } catch (ConvergeException e) {
        log.warn("document {} could not be stored nor loaded again; no longer synced", id, e);
        fresh = Optional.empty();
      }
      if (fresh.isEmpty() || fresh.get() == document.shared.handle) {
        documents.remove(id);
        document.shared.handle.removeChangeListener(document.listener);
        CompletableFuture<DocHandle> requested = document.requested;
        if (requested != null) {
          document.requested = null;
          requested.completeExceptionally(
              new ConvergeException(
                  ConvergeException.Kind.CLOSED, "document " + id + " could not be stored"));
        }
        return;
      }
      log.info("document {} was loaded again after a failed append; its sync starts over", id);
      current = replace(document, fresh.get());
    } else if (current == null) {
      return;
    }
    // Else another thread's find loaded it again already and we sync that handle.
    if (current.shared.addPeer(session)) {
      current.shared.offer(session, current.sender);
    }
  }

  /**
   * Closes every connection, to be dialed again at once: a peer's sync state for a document we
   * loaded again still counts changes we lost as ours, and only a new connection starts both sides
   * afresh. Holds the peer's lock.
   */
  private void restartSessions() {
    for (RepoPeerLink link : links) {
      RepoPeerSession session = link.current;
      if (session != null) {
        session.close("a document was loaded again; its sync starts over");
      }
    }
  }
}
