package dev.converge.net.client;

import dev.converge.core.ConvergeException;
import dev.converge.core.sync.SyncMessage;
import dev.converge.net.internal.PeerDocumentStatus;
import dev.converge.net.internal.ProtocolAccess;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.server.SyncServer;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.Dialer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Repo} as a peer of the automerge-repo network: the client side of the protocol that
 * {@link SyncServer} serves. It keeps one connection per {@link Dialer} open (dialing again with
 * {@link ReconnectBackoff} after every failure or close) and syncs every open document of its repo
 * with every connected peer, as automerge-repo's CollectionSynchronizer and DocSynchronizer do:
 * those open in the repo when the peer is made ({@link Repo#openHandles}), those opened through it
 * ({@link #create}, {@link #find}, {@link #share}), those peers send it, and those the repo hands
 * out to other code later (created or loaded, see {@link Repo.DocumentListener}).
 *
 * <ul>
 *   <li>handshake: {@code join} with our peer ID and metadata, answered by {@code peer};
 *   <li>a document is offered unasked only to peers {@link SharePolicy#announce} allows, and a peer
 *       that asks for or sends a document it has no {@link SharePolicy#access} to gets {@code
 *       doc-unavailable};
 *   <li>{@link #find} of a document we lack asks the announce-peers with a {@code request}; it
 *       fails with {@link DocumentUnavailableException} once every one of them said {@code
 *       doc-unavailable} (with no peer connected it waits: bound it with {@code orTimeout});
 *   <li>local changes (any change through the handle) are offered to every peer of the document;
 *   <li>after a reconnect every document starts again with a fresh sync state, so nothing that went
 *       missing in the broken connection stays missing.
 * </ul>
 *
 * <p>Ephemeral messages (presence, cursors; never stored) go both ways as automerge-repo's do:
 * {@link #broadcast} is {@code handle.broadcast}, an {@link EphemeralListener} is the {@code
 * ephemeral-message} event. Each carries our session ID and an increasing count; one received twice
 * (by the same {@code senderId}, session and count or a lower count) is dropped, and a new one is
 * passed on to the other peers this peer syncs its document with, as a JavaScript Repo relays it.
 * The details are in {@code EphemeralMessages}.
 *
 * <p>Remote-heads gossip: {@link #subscribeToRemotes} (sent to every peer, again after each
 * reconnect) and a {@link RemoteHeadsListener} are automerge-repo's {@code subscribeToRemotes} and
 * {@code remote-heads} event; subscribed to the sync server's storage ID, they tell which of our
 * changes the server has stored ({@link #storageIdOfPeer}). The details are in {@code
 * RemoteHeadsSubscriptions}.
 *
 * <p>Unlike a JavaScript Repo it does not pass on a request it cannot answer to its other peers; it
 * answers {@code doc-unavailable} at once.
 *
 * <p>When the repo hands out a new handle for a document (loaded again after an eviction, or in
 * place of a handle broken by a failed append), the peer syncs the new one from then on, with fresh
 * sync states. A sync message for a broken handle does the same (the repo reloads the document from
 * its log), so a store failure costs that document a restart of its sync, never the connection.
 *
 * <p>Beside it: {@code RepoPeerLink} dials one endpoint and dials again after a backoff, {@code
 * RepoPeerSession} is one connection (handshake and message dispatch), {@code RepoPeerDocuments}
 * keeps the documents synced, {@code OpenDocument} one of them, and {@code RepoPeerMoves} purges
 * and compactions (with the purges waited on in {@code PendingPurges}).
 *
 * <p>Thread-safety: safe for use by many threads. Per-document work runs under the lock of the
 * document's handle; the peer's own maps under its own lock, always taken before a handle's.
 */
public final class RepoPeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RepoPeer.class);

  private final Repo repo;
  final RepoPeerOptions options;
  final MessageCodec codec;
  final ScheduledExecutorService scheduler;
  final Object lock = new Object();
  private final List<RepoPeerLink> links = new ArrayList<>();
  private final RepoPeerDocuments documents;
  private final Repo.DocumentListener repoListener = this::repoOpened;
  final RepoPeerGossip gossip;
  final RepoPeerMoves moves;

  /** Guarded by {@link #lock}. */
  boolean closed;

  /**
   * Told of every new ephemeral message about one document (see {@link #addEphemeralListener}): the
   * {@code ephemeral-message} event of automerge-repo. Called on the thread that received it, with
   * no lock of the peer held, in the order one connection delivered them; must not block. An
   * exception it throws is logged as an error and costs nothing else: the connection stays up and
   * the other listeners are told.
   */
  @FunctionalInterface
  public interface EphemeralListener {
    void received(EphemeralMessage message);
  }

  /**
   * Told of the heads of one document at a storage peer we subscribed to (see {@link
   * #addRemoteHeadsListener}): the {@code remote-heads} event of automerge-repo. Called as an
   * {@link EphemeralListener} is.
   */
  @FunctionalInterface
  public interface RemoteHeadsListener {
    void changed(RemoteHeadsEvent event);
  }

  /**
   * A peer of {@code repo} that syncs every document open in it now and opened later; it connects
   * to nothing until {@link #connect}.
   */
  public RepoPeer(Repo repo, RepoPeerOptions options) {
    this.repo = repo;
    this.options = options;
    this.codec = new MessageCodec(options.codecLimits());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "converge-peer-" + options.peerId());
              thread.setDaemon(true);
              return thread;
            });
    this.gossip = new RepoPeerGossip(this);
    this.documents = new RepoPeerDocuments(repo, options, scheduler, links);
    this.moves = new RepoPeerMoves(this, repo);
    // The listener first, then the snapshot: a handle handed out in between is reported to both,
    // and share (like repoOpened) opens a document only once.
    repo.addDocumentListener(repoListener);
    for (DocHandle handle : repo.openHandles()) {
      share(handle);
    }
  }

  /**
   * Connects through {@code dialer} and stays connected: after a failure or a close it dials again
   * after a backoff delay, until {@link #close}.
   *
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public void connect(Dialer dialer) {
    RepoPeerLink link = new RepoPeerLink(this, dialer);
    synchronized (lock) {
      requireOpen();
      links.add(link);
    }
    link.dial();
  }

  /** A new document in the repo, offered to the connected peers the share policy allows. */
  public DocHandle create() {
    DocHandle handle = repo.create();
    share(handle);
    return handle;
  }

  /**
   * Starts syncing {@code handle} (a handle of this peer's repo) with the peers the share policy
   * allows. Idempotent.
   *
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public void share(DocHandle handle) {
    synchronized (lock) {
      requireOpen();
      if (!documents.contains(handle.id())) {
        documents.open(handle, false);
      }
    }
  }

  /**
   * The document {@code id}: from the repo if it has it (then synced with the peers), else asked of
   * the connected peers the share policy announces to.
   *
   * @return completes with the handle once the document has content, or exceptionally with {@link
   *     DocumentUnavailableException} when every peer asked lacks it or denies it
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public CompletableFuture<DocHandle> find(DocumentId id) {
    OpenDocument opened;
    CompletableFuture<DocHandle> requested;
    synchronized (lock) {
      requireOpen();
      opened = documents.get(id);
      if (opened == null) {
        // A document without a change (an empty placeholder, ours or left over) is one we lack.
        Optional<DocHandle> found = repo.find(id).filter(handle -> !handle.heads().isEmpty());
        opened =
            found.isPresent()
                ? documents.open(found.get(), false)
                : documents.open(repo.findOrCreate(id), true);
      }
      // Read under the lock: a doc-unavailable handled just after it is released clears the field
      // when it fails the request, and reading null then would report the empty placeholder found.
      requested = opened.requested;
    }
    return requested == null
        ? CompletableFuture.completedFuture(opened.shared.handle)
        : requested.copy();
  }

  /**
   * Sends {@code data} about document {@code documentId} to every connected peer this peer syncs
   * the document with, as an automerge-repo {@code ephemeral} message: what {@code
   * handle.broadcast(value)} does in JavaScript, whose peers' {@code ephemeral-message} events
   * report it. {@code data} is the application's value as CBOR (JavaScript peers decode it with
   * cbor-x); Jackson's {@code CBORMapper.writeValueAsBytes} makes it from a Java value. Nothing is
   * stored or sent again later: a peer not connected now never gets it.
   *
   * @return to how many peers it was sent: 0 when no connected peer syncs the document yet, or this
   *     peer does not sync it
   * @throws IllegalArgumentException if {@code data} is not one well-formed CBOR item
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public int broadcast(DocumentId documentId, Bytes data) {
    return gossip.broadcast(documentId, data);
  }

  /**
   * Tells {@code listener} of every new ephemeral message about document {@code documentId} from
   * now on, whether or not this peer syncs the document.
   */
  public void addEphemeralListener(DocumentId documentId, EphemeralListener listener) {
    gossip.addEphemeralListener(documentId, listener);
  }

  public void removeEphemeralListener(DocumentId documentId, EphemeralListener listener) {
    gossip.removeEphemeralListener(documentId, listener);
  }

  /**
   * Asks every peer, now and after every reconnect, for remote-heads gossip about the storage peers
   * {@code storageIds} (a sync server's own is {@link #storageIdOfPeer}): their heads of each
   * document we sync with that peer, now and whenever they change, reach the {@link
   * RemoteHeadsListener}s. Idempotent.
   *
   * @throws IllegalArgumentException beyond 1,024 storage IDs (as many as a sync server accepts);
   *     none was subscribed to then
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public void subscribeToRemotes(Collection<String> storageIds) {
    gossip.changeSubscriptions(storageIds, true);
  }

  /**
   * Stops the gossip {@link #subscribeToRemotes} asked for about {@code storageIds}.
   *
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public void unsubscribeFromRemotes(Collection<String> storageIds) {
    gossip.changeSubscriptions(storageIds, false);
  }

  /**
   * Tells {@code listener} of the heads of document {@code documentId} at every storage peer
   * subscribed to, from now on.
   */
  public void addRemoteHeadsListener(DocumentId documentId, RemoteHeadsListener listener) {
    gossip.addRemoteHeadsListener(documentId, listener);
  }

  public void removeRemoteHeadsListener(DocumentId documentId, RemoteHeadsListener listener) {
    gossip.removeRemoteHeadsListener(documentId, listener);
  }

  /**
   * The storage ID that the connected peer {@code peerId} announced in its handshake, as
   * automerge-repo's {@code getStorageIdOfPeer}: empty if it announced none or is not connected.
   */
  public Optional<String> storageIdOfPeer(String peerId) {
    for (RepoPeerSession session : joinedSessions()) {
      if (peerId.equals(session.remotePeerId)) {
        return Optional.ofNullable(session.remoteStorageId);
      }
    }
    return Optional.empty();
  }

  /** The peer IDs of the peers connected now (handshake done). */
  public List<String> connectedPeers() {
    List<String> peers = new ArrayList<>();
    for (RepoPeerSession session : joinedSessions()) {
      String remote = session.remotePeerId;
      if (remote != null) {
        peers.add(remote);
      }
    }
    return peers;
  }

  /** Closes every connection and stops reconnecting; pending {@link #find}s fail. Idempotent. */
  @Override
  public void close() {
    List<RepoPeerSession> sessions = new ArrayList<>();
    List<CompletableFuture<DocHandle>> pending;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      repo.removeDocumentListener(repoListener);
      for (RepoPeerLink link : links) {
        ScheduledFuture<?> retry = link.retry;
        if (retry != null) {
          retry.cancel(false);
        }
        RepoPeerSession session = link.current;
        if (session != null) {
          sessions.add(session);
        }
      }
      pending = documents.closeAll();
    }
    for (RepoPeerSession session : sessions) {
      Connection connection = session.connection;
      if (connection != null) {
        connection.close("peer closed");
      }
    }
    scheduler.shutdownNow();
    for (CompletableFuture<DocHandle> requested : pending) {
      requested.completeExceptionally(
          new ConvergeException(ConvergeException.Kind.CLOSED, "the peer was closed"));
    }
  }

  void requireOpen() {
    if (closed) {
      throw new ConvergeException(ConvergeException.Kind.CLOSED, "the peer was closed");
    }
  }

  /**
   * The repo handed out {@code handle}: sync it, or sync it instead of the handle we had for its
   * document. Ignored when this peer itself is asking the repo (it opens what it asked for). The
   * work is handed to our own thread: the caller may hold locks of its own (another peer of the
   * same repo, say), and taking ours under them could deadlock with a thread that holds ours.
   */
  private void repoOpened(DocHandle handle) {
    if (Thread.holdsLock(lock)) {
      return;
    }
    try {
      scheduler.execute(() -> syncOpened(handle));
    } catch (RejectedExecutionException closedMeanwhile) {
      // close() stopped the thread after this listener was called: nothing is synced any more.
    }
  }

  private void syncOpened(DocHandle handle) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      documents.opened(handle);
    }
  }

  /** A handshake finished: every document the policy announces to that peer starts syncing. */
  void peerJoined(RepoPeerSession session, String remote) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      session.link.failures = 0;
      // Before the documents: the server then reports the subscribed heads of each as it opens.
      gossip.announceSubscriptions(session, remote);
      for (OpenDocument document : List.copyOf(documents.all())) {
        if (options.sharePolicy().announce(remote, document.shared.id)) {
          documents.beginSync(document, List.of(session));
        } else if (!document.syncStarted) {
          documents.beginSync(document, List.of());
        }
      }
    }
    moves.announceAll(session);
    log.info("connected to peer={} via={}", remote, session.link.dialer.description());
  }

  /** A {@code sync} message, or a {@code request} if {@code ask}. */
  void receiveSync(RepoPeerSession session, String remote, DocumentId id, Bytes data, boolean ask) {
    SyncMessage message =
        SyncMessage.decode(ProtocolAccess.unsafeArray(data), options.syncLimits());
    if (!options.sharePolicy().access(remote, id)) {
      session.send(new DocUnavailable(options.peerId(), remote, id));
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      documents.receiveSync(session, remote, id, message, ask);
    }
  }

  /**
   * An ephemeral message from {@code session}'s peer, which may be a relay passing on another
   * peer's: dropped if that peer has no access to the document, or if it was seen before; else
   * passed on to the other peers we sync the document with (not back to its sender), and to the
   * listeners.
   */
  void receiveEphemeral(RepoPeerSession session, String remote, RepoMessage.Ephemeral message) {
    gossip.receiveEphemeral(session, remote, message);
  }

  /** The connected peers that sync document {@code id} with us; called under {@link #lock}. */
  List<RepoPeerSession> sessionsOf(DocumentId id) {
    OpenDocument document = documents.get(id);
    return document == null ? List.of() : document.shared.peers();
  }

  void receiveUnavailable(RepoPeerSession session, DocumentId id) {
    boolean ask;
    synchronized (lock) {
      moves.unavailable(id);
      OpenDocument document = documents.get(id);
      if (document == null) {
        return;
      }
      document.shared.state(session).ifPresent(s -> s.status = PeerDocumentStatus.UNAVAILABLE);
      documents.checkUnavailable(document);
      ask = !document.shared.handle.heads().isEmpty();
    }
    String remote = session.remotePeerId;
    // We hold content the server will not sync: it may have been purged there.
    if (ask && remote != null && session.purgeQueried.add(id)) {
      session.send(PurgeMessages.message(PurgeMessages.QUERY, options.peerId(), remote, id));
    }
  }

  /**
   * Purges {@code id} everywhere this peer reaches: asks every connected server to purge its copy
   * (the server checks this peer may write the document), and once one confirms, purges the local
   * copy ({@link Repo#purge}). Other replicas learn it from the server when they next sync the
   * document. Returns a future of whether the local repository held the document; it fails if a
   * server refuses (no write access).
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if no server is connected: a purge made
   *     offline would never reach the server's copy
   */
  public CompletableFuture<Boolean> purge(DocumentId id) {
    return moves.purge(id);
  }

  /** The sessions whose handshake is done, in the order of their links. */
  List<RepoPeerSession> joinedSessions() {
    List<RepoPeerSession> sessions = new ArrayList<>();
    synchronized (lock) {
      for (RepoPeerLink link : links) {
        RepoPeerSession session = link.current;
        if (session != null && session.remotePeerId != null) {
          sessions.add(session);
        }
      }
    }
    return sessions;
  }

  /** Stops syncing a document with every peer. */
  void forget(DocumentId id) {
    synchronized (lock) {
      documents.forget(id);
    }
  }

  /**
   * Compacts {@code id} ({@link Repo#compact}: a new document with only its current value, the old
   * one purged here) and tells every connected server, which then refuses the old ID and purges its
   * copy once every replica it knows has moved; servers connected later hear of it when they
   * connect. Returns the new document's handle.
   *
   * @throws ConvergeException as {@link Repo#compact} does
   */
  public DocHandle compact(DocumentId id) {
    return moves.compact(id);
  }

  /** Leaves every document; dials again unless closed. */
  void disconnected(RepoPeerSession session) {
    synchronized (lock) {
      documents.leave(session);
    }
    session.link.redial(session);
  }
}
