package dev.converge.net.server;

import dev.converge.core.ChangeHash;
import dev.converge.net.internal.SharedDocument;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.PurgedDocumentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * ServerSession#waiting}), and which sessions each open document has, change only under this
 * object's lock. That lock is never held while taking a document's lock (its handle's, which a sync
 * holds while it applies a message and answers every peer): a join or a leave waiting for one busy
 * document would otherwise hold up every session's sync of every other document.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class ServerDocuments {
  private final DocumentStore store;
  private final int documentsPerConnectionMax;
  private final Set<ServerSession> sessions;
  private final Map<DocumentId, Open> docs = new HashMap<>();

  /**
   * An open document and the sessions that joined it here, changed under this object's lock; its
   * {@link SharedDocument}'s own peers follow outside the lock, each session added after it joined
   * and removed after it left.
   */
  private static final class Open {
    final SharedDocument<ServerSession> shared;
    final Set<ServerSession> sessions = new HashSet<>();

    /** Set, under the lock, when {@link #stopSyncing} closes it. */
    volatile boolean stopped;

    Open(SharedDocument<ServerSession> shared) {
      this.shared = shared;
    }
  }

  ServerDocuments(DocumentStore store, int documentsPerConnectionMax, Set<ServerSession> sessions) {
    this.store = store;
    this.documentsPerConnectionMax = documentsPerConnectionMax;
    this.sessions = sessions;
  }

  /** The shared document {@code id}; null if no session syncs it. */
  @Nullable SharedDocument<ServerSession> get(DocumentId id) {
    synchronized (docs) {
      Open open = docs.get(id);
      return open == null ? null : open.shared;
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
    List<ServerSession> joined;
    Open open;
    synchronized (docs) {
      if (!session.documents.contains(id)
          && session.documents.size() >= documentsPerConnectionMax) {
        session.unavailable(id);
        return null;
      }
      open = docs.get(id);
      joined = open == null ? List.of() : joinLocked(session, open, List.of());
    }
    if (open != null) {
      return addPeers(open, joined);
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
      open = docs.get(id); // another peer may have opened it
      if (open == null) {
        if (handle == null) {
          if (session.documents.size() + session.waiting.size() < documentsPerConnectionMax) {
            session.waiting.add(id);
          }
          session.unavailable(id);
          return null;
        }
        open = new Open(new SharedDocument<>(id, handle));
        docs.put(id, open);
        joined = joinLocked(session, open, waitersFor(session, id));
      } else {
        joined = joinLocked(session, open, List.of());
      }
    }
    return addPeers(open, joined);
  }

  /**
   * {@code session}, and {@code waiters}, join {@code open}; called holding {@code docs}. Returns
   * the sessions that joined now, to be added to the shared document once the lock is released.
   */
  private static List<ServerSession> joinLocked(
      ServerSession session, Open open, List<ServerSession> waiters) {
    DocumentId id = open.shared.id;
    List<ServerSession> joined = new ArrayList<>(1 + waiters.size());
    session.documents.add(id);
    session.waiting.remove(id);
    if (open.sessions.add(session)) {
      joined.add(session);
    }
    for (ServerSession waiter : waiters) {
      waiter.waiting.remove(id);
      waiter.documents.add(id);
      if (open.sessions.add(waiter)) {
        joined.add(waiter);
      }
    }
    return joined;
  }

  /**
   * Adds the sessions that joined {@code open} to its shared document's peers, outside this
   * object's lock; null if the document stopped syncing meanwhile (the sessions that joined are
   * told {@code doc-unavailable}). A session that closed, or a document that stopped, between the
   * join and the add is undone here: the mark (detached, stopped) is set before the leave or the
   * stop removes peers, so either that removal comes after this add, or this check sees the mark.
   */
  private static @Nullable SharedDocument<ServerSession> addPeers(
      Open open, List<ServerSession> joined) {
    SharedDocument<ServerSession> shared = open.shared;
    for (ServerSession session : joined) {
      shared.addPeer(session);
      if (session.isDetached() || open.stopped) {
        shared.removePeer(session);
        if (open.stopped) {
          session.unavailable(shared.id);
        }
      }
    }
    return open.stopped ? null : shared;
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
    Open open;
    synchronized (docs) {
      open = docs.remove(id);
      if (open != null) {
        open.stopped = true;
        for (ServerSession peer : open.sessions) {
          peer.documents.remove(id);
        }
      }
    }
    if (open != null) {
      SharedDocument<ServerSession> shared = open.shared;
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
        Open open = docs.get(id);
        if (open != null && open.sessions.remove(session)) {
          left.add(open.shared);
          if (open.sessions.isEmpty()) {
            docs.remove(id); // a later join opens it afresh
          }
        }
      }
      session.documents.clear();
      session.waiting.clear();
    }
    for (SharedDocument<ServerSession> shared : left) {
      shared.removePeer(session);
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
