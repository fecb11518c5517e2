package dev.converge.net;

import dev.converge.core.ConvergeException;
import dev.converge.core.sync.SyncMessage;
import dev.converge.net.RepoMessage.DocUnavailable;
import dev.converge.net.RepoMessage.Join;
import dev.converge.net.RepoMessage.Peer;
import dev.converge.net.RepoMessage.ProtocolError;
import dev.converge.net.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.RepoMessage.RemoteSubscriptionChange;
import dev.converge.net.RepoMessage.Request;
import dev.converge.net.SharedDocument.PeerState;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * <p>Thread-safety: safe for use by many threads. Per-document work runs under the lock of the
 * document's handle; the peer's own maps under its own lock, always taken before a handle's.
 */
public final class RepoPeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RepoPeer.class);

  private final Repo repo;
  private final RepoPeerOptions options;
  private final MessageCodec codec;
  private final ScheduledExecutorService scheduler;
  private final Object lock = new Object();
  private final Map<DocumentId, OpenDocument> documents = new HashMap<>();
  private final List<Link> links = new ArrayList<>();
  private final Repo.DocumentListener repoListener = this::repoOpened;
  private final EphemeralMessages ephemeral;
  private final RemoteHeadsSubscriptions remoteHeads = new RemoteHeadsSubscriptions();
  private boolean closed;

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
    this.ephemeral = new EphemeralMessages(options.random());
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
    Link link = new Link(dialer);
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
      if (!documents.containsKey(handle.id())) {
        open(handle, false);
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
        opened = found.isPresent() ? open(found.get(), false) : open(repo.findOrCreate(id), true);
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
    codec.requireOneCborItem(data);
    List<Session> sessions;
    synchronized (lock) {
      requireOpen();
      OpenDocument document = documents.get(documentId);
      sessions = document == null ? List.of() : document.shared.peers();
    }
    int sent = 0;
    for (Session session : sessions) {
      String remote = session.remotePeerId;
      if (remote != null && session.connection != null) {
        session.send(ephemeral.outgoing(options.peerId(), remote, documentId, data));
        sent++;
      }
    }
    return sent;
  }

  /**
   * Tells {@code listener} of every new ephemeral message about document {@code documentId} from
   * now on, whether or not this peer syncs the document.
   */
  public void addEphemeralListener(DocumentId documentId, EphemeralListener listener) {
    ephemeral.addListener(documentId, listener);
  }

  public void removeEphemeralListener(DocumentId documentId, EphemeralListener listener) {
    ephemeral.removeListener(documentId, listener);
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
    changeSubscriptions(storageIds, true);
  }

  /**
   * Stops the gossip {@link #subscribeToRemotes} asked for about {@code storageIds}.
   *
   * @throws ConvergeException of kind CLOSED after {@link #close}
   */
  public void unsubscribeFromRemotes(Collection<String> storageIds) {
    changeSubscriptions(storageIds, false);
  }

  private void changeSubscriptions(Collection<String> storageIds, boolean add) {
    List<String> changed;
    List<Session> sessions = new ArrayList<>();
    synchronized (lock) {
      requireOpen();
      changed = add ? remoteHeads.subscribe(storageIds) : remoteHeads.unsubscribe(storageIds);
      for (Link link : links) {
        Session session = link.current;
        if (session != null && session.remotePeerId != null) {
          sessions.add(session);
        }
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    for (Session session : sessions) {
      String remote = session.remotePeerId;
      if (remote != null) {
        session.send(
            new RemoteSubscriptionChange(
                options.peerId(), remote, add ? changed : List.of(), add ? List.of() : changed));
      }
    }
  }

  /**
   * Tells {@code listener} of the heads of document {@code documentId} at every storage peer
   * subscribed to, from now on.
   */
  public void addRemoteHeadsListener(DocumentId documentId, RemoteHeadsListener listener) {
    remoteHeads.addListener(documentId, listener);
  }

  public void removeRemoteHeadsListener(DocumentId documentId, RemoteHeadsListener listener) {
    remoteHeads.removeListener(documentId, listener);
  }

  /**
   * The storage ID that the connected peer {@code peerId} announced in its handshake, as
   * automerge-repo's {@code getStorageIdOfPeer}: empty if it announced none or is not connected.
   */
  public Optional<String> storageIdOfPeer(String peerId) {
    synchronized (lock) {
      for (Link link : links) {
        Session session = link.current;
        if (session != null && peerId.equals(session.remotePeerId)) {
          return Optional.ofNullable(session.remoteStorageId);
        }
      }
    }
    return Optional.empty();
  }

  /** The peer IDs of the peers connected now (handshake done). */
  public List<String> connectedPeers() {
    List<String> peers = new ArrayList<>();
    synchronized (lock) {
      for (Link link : links) {
        Session session = link.current;
        String remote = session == null ? null : session.remotePeerId;
        if (remote != null) {
          peers.add(remote);
        }
      }
    }
    return peers;
  }

  /** Closes every connection and stops reconnecting; pending {@link #find}s fail. Idempotent. */
  @Override
  public void close() {
    List<Session> sessions = new ArrayList<>();
    List<CompletableFuture<DocHandle>> pending = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      repo.removeDocumentListener(repoListener);
      for (Link link : links) {
        ScheduledFuture<?> retry = link.retry;
        if (retry != null) {
          retry.cancel(false);
        }
        Session session = link.current;
        if (session != null) {
          sessions.add(session);
        }
      }
      for (OpenDocument document : documents.values()) {
        document.shared.handle.removeChangeListener(document.listener);
        CompletableFuture<DocHandle> requested = document.requested;
        if (requested != null) {
          pending.add(requested);
        }
      }
      documents.clear();
    }
    for (Session session : sessions) {
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

  private void requireOpen() {
    if (closed) {
      throw new ConvergeException(ConvergeException.Kind.CLOSED, "the peer was closed");
    }
  }

  /**
   * Registers {@code handle} and begins syncing it with the announce-peers; holds {@link #lock}.
   */
  private OpenDocument open(DocHandle handle, boolean lacking) {
    OpenDocument document = new OpenDocument(handle, lacking);
    documents.put(handle.id(), document);
    handle.addChangeListener(document.listener);
    List<Session> announced = new ArrayList<>();
    boolean anyPeer = false;
    for (Link link : links) {
      Session session = link.current;
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

  /** Starts syncing {@code document} with {@code sessions}; holds {@link #lock}. */
  private void beginSync(OpenDocument document, List<Session> sessions) {
    document.syncStarted = true;
    for (Session session : sessions) {
      if (document.shared.addPeer(session)) {
        document.shared.offer(session, document.sender);
      }
    }
    checkUnavailable(document);
  }

  /**
   * While we ask for {@code document}: gives up once every peer syncing it lacks it (said {@code
   * doc-unavailable} or asked us for it), telling those that asked; holds {@link #lock}.
   */
  private void checkUnavailable(OpenDocument document) {
    CompletableFuture<DocHandle> requested = document.requested;
    if (requested == null || !document.syncStarted) {
      return;
    }
    DocHandle handle = document.shared.handle;
    List<Session> wanting;
    synchronized (handle) {
      if (!handle.heads().isEmpty() || !document.shared.everyPeerLacks()) {
        return;
      }
      wanting = document.shared.peersWith(PeerDocumentStatus.WANTS);
      for (Session session : wanting) {
        document.shared.state(session).ifPresent(s -> s.status = PeerDocumentStatus.UNAVAILABLE);
      }
    }
    for (Session session : wanting) {
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

  /** Completes a {@link #find} once the document arrived; holds {@link #lock}. */
  private void checkArrived(OpenDocument document) {
    CompletableFuture<DocHandle> requested = document.requested;
    if (requested != null && !document.shared.handle.heads().isEmpty()) {
      document.requested = null;
      // Completed on the scheduler: the caller's continuations must not run under our lock.
      scheduler.execute(() -> requested.complete(document.shared.handle));
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
      OpenDocument current = documents.get(handle.id());
      if (current == null) {
        open(handle, false);
      } else if (current.shared.handle != handle) {
        replace(current, handle);
      }
    }
  }

  /**
   * Syncs {@code handle} instead of the handle {@code old} held, with fresh sync states, keeping a
   * pending {@link #find}. If the new handle lacks changes the old one had (it was broken, and the
   * log never got them), every connection starts over too: a peer's sync state would otherwise
   * count those changes as ours and never send them back. Holds {@link #lock}.
   */
  private OpenDocument replace(OpenDocument old, DocHandle handle) {
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
   * document. Either way the connection stays up. Holds {@link #lock}.
   */
  private void reopenBroken(OpenDocument document, Session session) {
    DocumentId id = document.shared.id;
    OpenDocument current = documents.get(id);
    if (current == document) {
      Optional<DocHandle> fresh;
      try {
        fresh = repo.find(id); // a load reported to repoOpened on this thread, which ignores it
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
   * afresh. Holds {@link #lock}.
   */
  private void restartSessions() {
    for (Link link : links) {
      Session session = link.current;
      if (session != null) {
        session.close("a document was loaded again; its sync starts over");
      }
    }
  }

  /** A handshake finished: every document the policy announces to that peer starts syncing. */
  private void peerJoined(Session session, String remote) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      session.link.failures = 0;
      // Before the documents: the server then reports the subscribed heads of each as it opens.
      List<String> subscriptions = remoteHeads.subscriptions();
      if (!subscriptions.isEmpty()) {
        session.send(
            new RemoteSubscriptionChange(options.peerId(), remote, subscriptions, List.of()));
      }
      for (OpenDocument document : List.copyOf(documents.values())) {
        if (options.sharePolicy().announce(remote, document.shared.id)) {
          beginSync(document, List.of(session));
        } else if (!document.syncStarted) {
          beginSync(document, List.of());
        }
      }
    }
    log.info("connected to peer={} via={}", remote, session.link.dialer.description());
  }

  private void receiveSync(Session session, String remote, DocumentId id, Bytes data, boolean ask) {
    SyncMessage message = SyncMessage.decode(data.unsafeArray(), options.syncLimits());
    if (!options.sharePolicy().access(remote, id)) {
      session.send(new DocUnavailable(options.peerId(), remote, id));
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      OpenDocument document = documents.get(id);
      if (document == null) {
        Optional<DocHandle> found = repo.find(id).filter(handle -> !handle.heads().isEmpty());
        if (found.isPresent()) {
          document = open(found.get(), false);
        } else if (ask || message.heads().isEmpty()) {
          session.send(new DocUnavailable(options.peerId(), remote, id));
          return;
        } else {
          document = open(repo.findOrCreate(id), false); // a peer offers us a document
        }
      }
      SharedDocument<Session> shared = document.shared;
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
  }

  /**
   * An ephemeral message from {@code session}'s peer, which may be a relay passing on another
   * peer's: dropped if that peer has no access to the document, or if it was seen before; else
   * passed on to the other peers we sync the document with (not back to its sender), and to the
   * listeners.
   */
  private void receiveEphemeral(Session session, String remote, RepoMessage.Ephemeral message) {
    DocumentId id = message.documentId();
    if (message.senderId().equals(options.peerId())
        || !options.sharePolicy().access(remote, id)
        || !ephemeral.firstSeen(message)) {
      return;
    }
    List<Session> peers;
    synchronized (lock) {
      OpenDocument document = documents.get(id);
      peers = document == null ? List.of() : document.shared.peers();
    }
    for (Session other : peers) {
      String target = other.remotePeerId;
      if (other != session && target != null && !target.equals(message.senderId())) {
        other.send(message.withTargetId(target));
      }
    }
    ephemeral.deliver(message);
  }

  private void receiveUnavailable(Session session, DocumentId id) {
    synchronized (lock) {
      OpenDocument document = documents.get(id);
      if (document == null) {
        return;
      }
      document.shared.state(session).ifPresent(s -> s.status = PeerDocumentStatus.UNAVAILABLE);
      checkUnavailable(document);
    }
  }

  /** Leaves every document; dials again unless closed. */
  private void disconnected(Session session) {
    synchronized (lock) {
      for (OpenDocument document : documents.values()) {
        document.shared.removePeer(session);
      }
    }
    session.link.redial(session);
  }

  /** A document this peer syncs. */
  private final class OpenDocument {
    final SharedDocument<Session> shared;
    final SharedDocument.Sender<Session> sender;
    final DocHandle.ChangeListener listener;

    /** Set while we lack the document and ask for it: the {@link #find} to complete. */
    volatile @Nullable CompletableFuture<DocHandle> requested;

    /** Whether we asked any peer yet (guarded by {@link #lock}). */
    boolean syncStarted;

    OpenDocument(DocHandle handle, boolean lacking) {
      this.shared = new SharedDocument<>(handle.id(), handle);
      this.sender = (document, session, state, message) -> sendSync(session, state, message);
      this.listener = (changed, added) -> shared.offerAll(sender);
      this.requested = lacking ? new CompletableFuture<>() : null;
    }

    /** Called under the handle's lock, by {@link SharedDocument}. */
    private void sendSync(Session session, PeerState state, SyncMessage message) {
      String remote = session.remotePeerId;
      if (remote == null) {
        return;
      }
      boolean ourHeadsEmpty = message.heads().isEmpty();
      // As DocSynchronizer: the first message asks for the document when we have nothing, share
      // nothing with this peer, know of no peer with the document and know nothing of this one.
      boolean ask =
          requested != null
              && ourHeadsEmpty
              && state.syncState.sharedHeads().isEmpty()
              && shared.peersWith(PeerDocumentStatus.HAS).isEmpty()
              && state.status == PeerDocumentStatus.UNKNOWN;
      Bytes data = Bytes.wrap(message.encode());
      session.send(
          ask
              ? new Request(options.peerId(), remote, shared.id, data)
              : new RepoMessage.Sync(options.peerId(), remote, shared.id, data));
      if (!ourHeadsEmpty) {
        state.status = PeerDocumentStatus.HAS;
      }
    }
  }

  /** One remote endpoint, dialed again after every close. */
  private final class Link {
    final Dialer dialer;

    /** Failed attempts in a row (guarded by {@link #lock}). */
    int failures;

    volatile @Nullable Session current;
    volatile @Nullable ScheduledFuture<?> retry;

    Link(Dialer dialer) {
      this.dialer = dialer;
    }

    void dial() {
      Session session = new Session(this);
      synchronized (lock) {
        if (closed) {
          return;
        }
        current = session;
        retry = null;
      }
      CompletableFuture<Connection> dialing;
      try {
        dialing = dialer.dial(session);
      } catch (RuntimeException e) {
        dialing = CompletableFuture.failedFuture(e);
      }
      var unused =
          dialing.whenComplete(
              (connection, failure) -> {
                if (failure != null) {
                  log.debug("dialing {} failed: {}", dialer.description(), failure.toString());
                  redial(session);
                  return;
                }
                boolean stale;
                synchronized (lock) {
                  stale = closed || current != session;
                  session.connection = connection;
                }
                if (stale) {
                  connection.close("peer closed");
                  return;
                }
                session.send(
                    new Join(
                        options.peerId(),
                        options.peerMetadata(),
                        List.of(RepoMessage.PROTOCOL_VERSION)));
              });
    }

    /** Schedules the next attempt after {@code session} ended; once per session. */
    void redial(Session session) {
      synchronized (lock) {
        if (closed || current != session || session.redialScheduled) {
          return;
        }
        session.redialScheduled = true;
        failures++;
        long delay = options.backoff().delayMillis(failures, options.random());
        log.debug("dialing {} again in {} ms", dialer.description(), delay);
        retry = scheduler.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** One connection of a {@link Link}, from dial to close. */
  private final class Session implements ConnectionHandler {
    final Link link;
    volatile @Nullable Connection connection;
    volatile @Nullable String remotePeerId;
    volatile @Nullable String remoteStorageId;

    /** Guarded by {@link #lock}. */
    boolean redialScheduled;

    Session(Link link) {
      this.link = link;
    }

    void send(RepoMessage message) {
      Connection current = connection;
      if (current != null) {
        current.send(codec.encode(message));
      }
    }

    @Override
    public void onFrame(byte[] frame) {
      try {
        handle(codec.decode(frame));
      } catch (ConvergeException e) {
        fail(e.getMessage());
      }
    }

    private void handle(RepoMessage message) {
      String remote = remotePeerId;
      if (message instanceof ProtocolError error) {
        log.warn("peer={} via={} reported: {}", remote, link.dialer.description(), error.message());
        close("peer reported an error");
      } else if (remote == null) {
        if (message instanceof Peer peer) {
          remoteStorageId = peer.peerMetadata().storageId();
          remotePeerId = peer.senderId();
          peerJoined(this, peer.senderId());
        }
      } else if (message instanceof RepoMessage.Ephemeral relayed) {
        receiveEphemeral(this, remote, relayed); // its senderId is whoever broadcast it
      } else if (!message.senderId().equals(remote)) {
        return; // only the peer that answered the handshake speaks on this connection
      } else if (message instanceof Request request) {
        receiveSync(this, remote, request.documentId(), request.data(), true);
      } else if (message instanceof RepoMessage.Sync sync) {
        receiveSync(this, remote, sync.documentId(), sync.data(), false);
      } else if (message instanceof DocUnavailable unavailable) {
        receiveUnavailable(this, unavailable.documentId());
      } else if (message instanceof RemoteHeadsChanged changed) {
        for (RemoteHeadsEvent event : remoteHeads.received(changed)) {
          remoteHeads.deliver(event);
        }
      }
      // remote-subscription-change (we relay no gossip) and unknown types: not used by this peer.
    }

    private void fail(@Nullable String reason) {
      String text = reason == null ? "protocol error" : reason;
      log.warn("closing connection to {}: {}", link.dialer.description(), text);
      send(new ProtocolError(options.peerId(), remotePeerId, text));
      close(text);
    }

    private void close(String reason) {
      Connection current = connection;
      if (current != null) {
        current.close(reason);
      }
    }

    @Override
    public void onOversizedFrame(long frameBytes) {
      fail(
          new FrameTooLargeException(frameBytes, options.codecLimits().frameBytesMax())
              .getMessage());
    }

    @Override
    public void onClose(String reason) {
      log.info("disconnected from {}: {}", link.dialer.description(), reason);
      disconnected(this);
    }
  }
}
