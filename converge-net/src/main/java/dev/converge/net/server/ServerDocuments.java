package dev.converge.net.server;

import dev.converge.core.ChangeHash;
import dev.converge.net.internal.SharedDocument;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.PurgedDocumentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The documents a {@link SyncServer} syncs now, each shared by the sessions syncing it, and the
 * sessions waiting for a document the server does not have yet: the first that brings it lets them
 * all join. A document is open while some session syncs it.
 *
 * <p>Which documents each session syncs or waits for ({@link ServerSession#documents}, {@link
 * ServerSession#waiting}) changes only under this object's lock.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class ServerDocuments {
  private final DocumentStore store;
  private final int documentsPerConnectionMax;
  private final Set<ServerSession> sessions;
  private final Map<DocumentId, SharedDocument<ServerSession>> docs = new HashMap<>();

  ServerDocuments(DocumentStore store, int documentsPerConnectionMax, Set<ServerSession> sessions) {
    this.store = store;
    this.documentsPerConnectionMax = documentsPerConnectionMax;
    this.sessions = sessions;
  }

  /** The shared document {@code id}; null if no session syncs it. */
  @Nullable SharedDocument<ServerSession> get(DocumentId id) {
    synchronized (docs) {
      return docs.get(id);
    }
  }

  /** Whether {@code session} syncs {@code id}. */
  boolean syncs(ServerSession session, DocumentId id) {
    synchronized (docs) {
      return session.documents.contains(id);
    }
  }

  /**
   * The shared document {@code id}, joined by {@code session}; null if unavailable (the session is
   * told {@code doc-unavailable}, and waits for it if it may sync one more document). A document
   * the store lacks is created unless {@code peerLacksIt}.
   */
  @Nullable SharedDocument<ServerSession> join(
      ServerSession session, DocumentId id, boolean peerLacksIt) {
    synchronized (docs) {
      if (!session.documents.contains(id)
          && session.documents.size() >= documentsPerConnectionMax) {
        session.unavailable(id);
        return null;
      }
      SharedDocument<ServerSession> shared = docs.get(id);
      if (shared != null) {
        joinLocked(session, shared, List.of());
        return shared;
      }
    }
    // Not open here: look it up without holding every document's lock, since a lookup may wait
    // for the disk, and a peer naming unknown documents must not stall the others' syncs.
    Optional<DocHandle> found = store.find(id);
    DocHandle handle;
    try {
      handle = found.isPresent() || peerLacksIt ? found.orElse(null) : store.create(id);
    } catch (PurgedDocumentException e) {
      handle = null; // refused: an old replica's sync must not bring it back
    }
    synchronized (docs) {
      SharedDocument<ServerSession> shared = docs.get(id); // another peer may have opened it
      if (shared == null) {
        if (handle == null) {
          if (session.documents.size() + session.waiting.size() < documentsPerConnectionMax) {
            session.waiting.add(id);
          }
          session.unavailable(id);
          return null;
        }
        shared = new SharedDocument<>(id, handle);
        docs.put(id, shared);
        joinLocked(session, shared, waitersFor(session, id));
      } else {
        joinLocked(session, shared, List.of());
      }
      return shared;
    }
  }

  /** {@code session}, and {@code waiters}, join {@code shared}; called holding {@code docs}. */
  private static void joinLocked(
      ServerSession session, SharedDocument<ServerSession> shared, List<ServerSession> waiters) {
    DocumentId id = shared.id;
    if (!session.documents.contains(id)) {
      session.documents.add(id);
      session.waiting.remove(id);
      shared.addPeer(session);
    }
    for (ServerSession waiter : waiters) {
      waiter.waiting.remove(id);
      waiter.documents.add(id);
      shared.addPeer(waiter);
    }
  }

  private List<ServerSession> waitersFor(ServerSession joining, DocumentId id) {
    List<ServerSession> waiters = new ArrayList<>();
    for (ServerSession session : sessions) {
      if (session != joining && session.waiting.contains(id) && !session.isDetached()) {
        waiters.add(session);
      }
    }
    return waiters;
  }

  /**
   * Closes the shared copy of a document being purged or compacted: every peer syncing it leaves it
   * and gets {@code doc-unavailable} (but {@code requester}, if any, which is answered otherwise),
   * so no sync writes to it afterwards.
   */
  void stopSyncing(DocumentId id, ServerPurges.@Nullable Peer requester) {
    SharedDocument<ServerSession> shared;
    synchronized (docs) {
      shared = docs.remove(id);
    }
    if (shared != null) {
      for (ServerSession peer : shared.peers()) {
        shared.removePeer(peer);
        peer.documents.remove(id);
        if (peer != requester) {
          peer.unavailable(id);
        }
      }
    }
  }

  /** {@code session} leaves every document it syncs or waits for; a document left alone closes. */
  void leaveAll(ServerSession session) {
    List<SharedDocument<ServerSession>> left = new ArrayList<>();
    synchronized (docs) {
      for (DocumentId id : session.documents) {
        SharedDocument<ServerSession> shared = docs.get(id);
        if (shared != null) {
          left.add(shared);
        }
      }
      session.documents.clear();
      session.waiting.clear();
    }
    // Each document's lock is taken without the lock of all documents: a document's lock may be
    // held a while (a large message being applied), and every session's sync takes the lock of all
    // documents. Under a hostile soak, closing sessions waiting here held up the good clients'.
    for (SharedDocument<ServerSession> shared : left) {
      if (shared.removePeer(session)) {
        closeIfAlone(shared);
      }
    }
  }

  /** Closes {@code shared} unless a peer joined it since its last one left. */
  private void closeIfAlone(SharedDocument<ServerSession> shared) {
    synchronized (docs) {
      if (docs.get(shared.id) == shared && shared.peers().isEmpty()) {
        docs.remove(shared.id);
      }
    }
  }

  /**
   * For document {@code id}, the heads each joined peer syncing it last reported in its sync
   * messages, by peer ID; a peer that reported none yet is absent.
   */
  Map<String, List<ChangeHash>> peerHeads(DocumentId id) {
    SharedDocument<ServerSession> shared = get(id);
    Map<String, List<ChangeHash>> heads = new LinkedHashMap<>();
    if (shared == null) {
      return heads;
    }
    synchronized (shared.handle) {
      for (ServerSession peer : shared.peers()) {
        String peerId = peer.peerId;
        Optional<List<ChangeHash>> theirs =
            shared.state(peer).flatMap(state -> state.syncState.theirHeads());
        if (peerId != null && theirs.isPresent()) {
          heads.put(peerId, List.copyOf(theirs.get()));
        }
      }
    }
    return heads;
  }

  /** Offers every peer syncing {@code id} the changes the document gained by another path. */
  void documentChanged(DocumentId id) {
    SharedDocument<ServerSession> shared = get(id);
    if (shared != null) {
      shared.offerAll((document, peer, state, message) -> peer.sendSync(document, message));
    }
  }
}
