package dev.converge.net.server;

import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.net.gossip.RemoteHeadsGossip;
import dev.converge.net.gossip.UrlHeads;
import dev.converge.net.internal.ForwardMessages;
import dev.converge.net.internal.HighWaterMarks;
import dev.converge.net.internal.ProtocolAccess;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.internal.SharedDocument;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.FrameTooLargeException;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.DocumentMessage;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.Peer;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.net.protocol.RepoMessage.Request;
import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.relay.Relay;
import dev.converge.repo.spi.PurgedDocumentException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the automerge-repo protocol over a {@link DocumentStore}: answers {@code join}
 * with {@code peer}, syncs every document a peer sends or requests, stores what peers send, and
 * forwards each change to the other peers syncing that document. Like a JavaScript sync server with
 * {@code sharePolicy: false} it announces nothing: a peer gets a document only by asking for it by
 * ID. Ephemeral messages are relayed to the other peers of their document, never stored.
 *
 * <p>Remote-heads gossip, as a JavaScript server with {@code enableRemoteHeadsGossiping}: a peer
 * subscribes to storage IDs ({@code remote-subscription-change}) and then hears ({@code
 * remote-heads-changed}) the heads of the documents it syncs with us at those storage IDs: ours
 * whenever a document here changes, those of a peer with storage that syncs the document with us
 * whenever its heads change, and those a peer relays from further away, if newer. A peer hears only
 * of documents it syncs with us (so has access to, and holds a handle for), and relays only about
 * those.
 *
 * <p>Every frame is hostile until decoded and checked: a malformed frame, a bad sync message, or a
 * broken limit closes that connection with an {@code error} message and touches no document (the
 * sync layer verifies before it applies) and no other connection. A peer ID is bound to the user
 * who joined with it ({@link PeerIds}); identifiers the server remembers are bounded in length
 * ({@link ClientIdentifiers}); ephemeral data must be CBOR, and is the first traffic dropped when a
 * peer lags ({@link Connection#offer}); text from a peer is cut and escaped before it reaches a log
 * line or an error message ({@link ClientText}); metric labels come from a fixed set; a document a
 * peer names is stored only with its first change ({@link DocumentStore#create}); and {@link
 * #closeUnjoined} closes connections that never join.
 *
 * <p>Each connection gets a fresh {@link SyncState} per document. All work on one document runs
 * under the lock of its handle, so sync states, the document and local changes stay consistent.
 *
 * <p>Thread-safety: safe for use by many threads; a transport calls each connection's handler from
 * one thread at a time.
 */
public final class SyncServer implements Acceptor {
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);
  private static final int EPHEMERAL_SESSIONS_MAX = 4096;
  private static final int SUBSCRIPTIONS_PER_PEER_MAX = 1024;
  private static final int GOSSIP_DOCUMENTS_MAX = 100_000;
  private static final int GOSSIP_STORAGE_IDS_PER_DOCUMENT_MAX = 64;
  private static final int GOSSIP_HEADS_MAX = 1024;
  private static final int DENIALS_LOGGED_MAX = 10;
  private static final int PEER_OWNERS_MAX = 10_000;

  /**
   * What an ephemeral message's frame adds to its data, at most: the field names, the count, and
   * four identifiers of at most {@link ClientIdentifiers#CHARS_MAX} characters (document IDs are
   * shorter), each up to 3 bytes a character in UTF-8.
   */
  private static final int EPHEMERAL_ENVELOPE_BYTES_MAX = 128 + 4 * 3 * ClientIdentifiers.CHARS_MAX;

  private final DocumentStore store;
  private final SyncServerOptions options;
  private final NetworkObserver observer;
  private final MessageCodec codec;
  private final Map<DocumentId, SharedDocument<PeerSession>> docs = new HashMap<>();
  private final PeerIds<PeerSession> peers =
      new PeerIds<>(
          PEER_OWNERS_MAX,
          session -> session.connection.principal(),
          session -> session.detached.get());
  private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
  private final HighWaterMarks ephemeralCounts = new HighWaterMarks(EPHEMERAL_SESSIONS_MAX);
  private final RemoteHeadsGossip<PeerSession> gossip =
      new RemoteHeadsGossip<>(GOSSIP_DOCUMENTS_MAX, GOSSIP_STORAGE_IDS_PER_DOCUMENT_MAX);
  private final LongSupplier nanoTime;
  private final InstantSource wallClock;
  private final AtomicLong lastTimestampMillis = new AtomicLong();
  private final @Nullable SealedRelayEndpoint sealedRelay;
  private volatile boolean closed;
  private final ServerPurges purges;
  private final ServerCompactions compactions;

  public SyncServer(DocumentStore store, SyncServerOptions options, NetworkObserver observer) {
    this(store, options, observer, System::nanoTime);
  }

  /**
   * A server whose rate limits read time from {@code nanoTime} (monotonic nanoseconds), so that
   * tests can drive it.
   */
  public SyncServer(
      DocumentStore store,
      SyncServerOptions options,
      NetworkObserver observer,
      LongSupplier nanoTime) {
    this(store, options, observer, nanoTime, InstantSource.system());
  }

  /**
   * A server whose rate limits read {@code nanoTime} and whose remote-heads gossip is stamped with
   * {@code wallClock} (peers compare those stamps with their own clocks' as automerge-repo does).
   */
  public SyncServer(
      DocumentStore store,
      SyncServerOptions options,
      NetworkObserver observer,
      LongSupplier nanoTime,
      InstantSource wallClock) {
    this(store, options, observer, nanoTime, wallClock, null);
  }

  /**
   * A server that also relays sealed documents ({@code converge-sealed} messages) through {@code
   * relay}, under the same access rules; without one, such messages are ignored.
   */
  public SyncServer(
      DocumentStore store,
      Relay relay,
      SealedLimits sealedLimits,
      SyncServerOptions options,
      NetworkObserver observer) {
    this(
        store,
        options,
        observer,
        System::nanoTime,
        InstantSource.system(),
        new SealedRelayEndpoint(relay, sealedLimits, options.access(), observer));
  }

  private SyncServer(
      DocumentStore store,
      SyncServerOptions options,
      NetworkObserver observer,
      LongSupplier nanoTime,
      InstantSource wallClock,
      @Nullable SealedRelayEndpoint sealedRelay) {
    this.sealedRelay = sealedRelay;
    this.nanoTime = nanoTime;
    this.wallClock = wallClock;
    this.store = store;
    this.options = options;
    this.observer = observer;
    this.codec = new MessageCodec(options.codecLimits());
    this.purges = new ServerPurges(options.peerId(), store, options.access(), this::stopSyncing);
    this.compactions =
        new ServerCompactions(options.peerId(), store, options.access(), this::stopSyncing);
  }

  /**
   * Purges a document on the server's own initiative (retention) as a client's purge request does:
   * every peer syncing it leaves it and gets {@code doc-unavailable}, then the store purges it and
   * refuses its ID from then on.
   *
   * @return whether the store held the document
   * @throws dev.converge.core.ConvergeException if the store cannot purge it
   */
  public boolean purge(DocumentId id) {
    stopSyncing(id, null);
    return store.purge(id);
  }

  /**
   * Purges each compacted document whose known replicas have all moved to its successor, if that
   * loses nothing (see {@code ServerCompactions}); the server checks when a replica moves, and this
   * catches a successor that was stored only afterwards. Run it now and then.
   */
  public void settleCompactions() {
    compactions.settleAll();
  }

  /**
   * Closes the shared copy of a document being purged: every peer syncing it leaves it and gets
   * {@code doc-unavailable} (but {@code requester}, if any, which is answered {@code
   * converge-purged}), so no sync writes to it while it is purged.
   */
  private void stopSyncing(DocumentId id, ServerPurges.@Nullable Peer requester) {
    SharedDocument<PeerSession> shared;
    synchronized (docs) {
      shared = docs.remove(id);
    }
    if (shared != null) {
      for (PeerSession peer : shared.peers()) {
        shared.removePeer(peer);
        peer.documents.remove(id);
        if (peer != requester) {
          peer.unavailable(id);
        }
      }
    }
  }

  public SyncServerOptions options() {
    return options;
  }

  /** How many connections are open. */
  public int connectionCount() {
    return sessions.size();
  }

  @Override
  public ConnectionHandler accept(Connection connection) {
    PeerSession session = new PeerSession(connection);
    if (closed) {
      connection.close("server shutting down");
      return session;
    }
    sessions.add(session);
    observer.connectionOpened();
    log.info("connection opened from={} user={}", connection.description(), user(connection));
    return session;
  }

  /**
   * Closes, with an error message, every connection that has not sent {@code join} within {@code
   * joinTimeout} of opening: a socket that never joins would otherwise hold its place until the
   * transport's idle timeout. The caller runs this periodically; each connection's age is read from
   * this server's clock.
   *
   * @return how many connections it closed
   */
  public int closeUnjoined(Duration joinTimeout) {
    long now = nanoTime.getAsLong();
    long timeoutNanos = joinTimeout.toNanos();
    int closed = 0;
    for (PeerSession session : sessions) {
      if (session.peerId == null
          && !session.detached.get()
          && now - session.openedNanos >= timeoutNanos) {
        session.closeFromOutside(
            "join-timeout", "no join within " + joinTimeout.toMillis() + " ms of connecting");
        closed++;
      }
    }
    return closed;
  }

  /** Who the transport authenticated a connection as, for logs: a token's name, or {@code -}. */
  /** The clients connected now, oldest connection first: for operators (the inspector). */
  public List<ConnectedPeer> connectedPeers() {
    List<ConnectedPeer> peers = new ArrayList<>();
    for (PeerSession session : sessions) {
      String peerId = session.peerId;
      peers.add(
          new ConnectedPeer(
              peerId == null ? "" : peerId,
              session.connection.principal().orElse(""),
              session.connection.description(),
              session.openedMillis,
              session.documents.size()));
    }
    peers.sort(java.util.Comparator.comparingLong(ConnectedPeer::connectedAtMillis));
    return peers;
  }

  /**
   * For document {@code id}, the heads each joined peer syncing it last reported in its sync
   * messages, by peer ID; a peer that reported none yet is absent.
   */
  public Map<String, List<ChangeHash>> peerHeads(DocumentId id) {
    SharedDocument<PeerSession> shared;
    synchronized (docs) {
      shared = docs.get(id);
    }
    Map<String, List<ChangeHash>> heads = new java.util.LinkedHashMap<>();
    if (shared == null) {
      return heads;
    }
    synchronized (shared.handle) {
      for (PeerSession peer : shared.peers()) {
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

  private static String user(Connection connection) {
    return connection.principal().orElse("-");
  }

  /**
   * Offers every peer syncing {@code id} the changes the document gained by a path other than this
   * server's peers (a cluster's shared log, another program on the same repository).
   */
  public void documentChanged(DocumentId id) {
    SharedDocument<PeerSession> shared;
    synchronized (docs) {
      shared = docs.get(id);
    }
    if (shared != null) {
      shared.offerAll((document, peer, state, message) -> peer.sendSync(document, message));
    }
  }

  /** Closes every connection; later connections are refused. */
  public void close() {
    closed = true;
    for (PeerSession session : List.copyOf(sessions)) {
      session.connection.close("server shutting down");
      session.detach();
    }
  }

  /**
   * A gossip timestamp: the wall clock, but never the same twice, because a peer ignores heads
   * whose stamp is not newer than the last it has.
   */
  private long timestampMillis() {
    long now = wallClock.millis();
    return lastTimestampMillis.updateAndGet(last -> Math.max(now, last + 1));
  }

  private final class PeerSession implements ConnectionHandler, ServerPurges.Peer {
    final Connection connection;
    final AtomicBoolean detached = new AtomicBoolean();
    volatile @Nullable String peerId;

    /** The peer's storage ID, from its join; null for a peer without storage. */
    volatile @Nullable String storageId;

    volatile boolean ephemeral;

    final Set<DocumentId> documents = ConcurrentHashMap.newKeySet();
    final Set<DocumentId> waiting = ConcurrentHashMap.newKeySet();
    final long openedNanos = nanoTime.getAsLong();
    final long openedMillis = wallClock.millis();

    /** Denials logged so far on this connection (touched only by its transport thread). */
    private int deniedLogged;

    // A token bucket (touched only by the transport's one thread per connection): one token per
    // message, refilled at messagesPerSecondMax, holding at most one second's worth.
    private double tokens = options.messagesPerSecondMax();
    private long refilledNanos = nanoTime.getAsLong();

    PeerSession(Connection connection) {
      this.connection = connection;
    }

    /** Takes a token for one message; false if the connection is over its rate. */
    private boolean takeToken() {
      long now = nanoTime.getAsLong();
      double rate = options.messagesPerSecondMax();
      tokens = Math.min(rate, tokens + (now - refilledNanos) * rate / 1e9);
      refilledNanos = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    @Override
    public void onFrame(byte[] frame) {
      if (detached.get()) {
        return;
      }
      long arrivalNanos = System.nanoTime();
      if (!takeToken()) {
        fail(
            "rate-limited", "more than " + options.messagesPerSecondMax() + " messages per second");
        return;
      }
      RepoMessage message;
      try {
        message = codec.decode(frame);
      } catch (LimitExceededException e) {
        fail("frame-too-large", e.getMessage());
        return;
      } catch (ConvergeException e) {
        fail("malformed-message", e.getMessage());
        return;
      }
      // A fixed label: the type of an unknown message is the peer's text, and would make a new
      // time series per string.
      observer.messageReceived(
          message instanceof RepoMessage.Unknown ? "other" : message.type(), frame.length);
      Optional<String> tooLong = ClientIdentifiers.firstTooLong(message);
      if (tooLong.isPresent()) {
        fail("limit-exceeded", tooLong.get());
        return;
      }
      try {
        handle(message, arrivalNanos);
      } catch (LimitExceededException e) {
        fail("limit-exceeded", e.getMessage());
      } catch (ConvergeException e) {
        fail("bad-sync-message", e.getMessage());
      }
    }

    private void handle(RepoMessage message, long arrivalNanos) {
      String remote = peerId;
      if (remote == null) {
        if (message instanceof Join join) {
          handshake(join);
        } else {
          fail("no-join", "expected join first, got " + ClientText.cut(message.type()));
        }
        return;
      }
      if (!message.senderId().equals(remote)) {
        return; // as the JavaScript server: only the peer that joined speaks on this socket
      }
      if (message instanceof Request || message instanceof RepoMessage.Sync) {
        DocumentMessage documentMessage = (DocumentMessage) message;
        Bytes data =
            message instanceof Request request
                ? request.data()
                : ((RepoMessage.Sync) message).data();
        sync(documentMessage.documentId(), data, message instanceof Request, arrivalNanos);
      } else if (message instanceof RepoMessage.Sealed sealed) {
        answerSealed(remote, sealed);
      } else if (message instanceof Ephemeral ephemeral) {
        relay(ephemeral);
      } else if (message instanceof RemoteSubscriptionChange change) {
        changeSubscriptions(change);
      } else if (message instanceof RemoteHeadsChanged changed) {
        relayHeads(changed);
      } else if (message instanceof ProtocolError error) {
        log.info(
            "peer={} user={} reported error: {}",
            ClientText.value(remote),
            user(connection),
            ClientText.reason(error.message()));
        connection.close("peer reported an error");
      } else if (message instanceof Join) {
        fail("second-join", "join on a connection that already joined");
      } else if (message instanceof RepoMessage.Unknown unknown
          && PurgeMessages.isPurgeMessage(unknown.type())) {
        // A compacted document is answered with where it moved, not as purged.
        if (!unknown.type().equals(PurgeMessages.QUERY)
            || !compactions.answerQuery(this, PurgeMessages.documentId(unknown))) {
          purges.handle(this, unknown);
        }
      } else if (message instanceof RepoMessage.Unknown unknown
          && unknown.type().equals(ForwardMessages.COMPACTED)) {
        compactions.compacted(this, replicaName(), unknown);
      }
      // doc-unavailable, peer and unknown types: nothing to do for a server that announces
      // nothing.
    }

    /** Answers a sealed-relay request, if this server relays sealed documents. */
    private void answerSealed(String remote, RepoMessage.Sealed sealed) {
      SealedRelayEndpoint endpoint = sealedRelay;
      if (endpoint != null) {
        byte[] answer =
            endpoint.answer(connection.principal(), ProtocolAccess.unsafeArray(sealed.data()));
        send(new RepoMessage.Sealed(options.peerId(), remote, ProtocolAccess.wrap(answer)));
      }
    }

    private void handshake(Join join) {
      List<String> versions = join.supportedProtocolVersions();
      if (!versions.isEmpty() && !versions.contains(RepoMessage.PROTOCOL_VERSION)) {
        send(new ProtocolError(options.peerId(), join.senderId(), "unsupported protocol version"));
        observer.protocolError("unsupported-version");
        connection.close("unsupported protocol version");
        detach();
        return;
      }
      PeerIds.Claim<PeerSession> claim = peers.claim(join.senderId(), this);
      if (claim instanceof PeerIds.Refused<PeerSession> refused) {
        log.warn(
            "refused join peer={} user={} from={}: the peer ID belongs to user={}",
            ClientText.value(join.senderId()),
            user(connection),
            connection.description(),
            refused.owner().orElse("-"));
        observer.protocolError("peer-id-taken");
        send(
            new ProtocolError(
                options.peerId(), join.senderId(), "peer ID belongs to another user"));
        connection.close("peer-id-taken");
        detach();
        return;
      }
      storageId = join.peerMetadata().storageId();
      ephemeral = Boolean.TRUE.equals(join.peerMetadata().isEphemeral());
      peerId = join.senderId();
      PeerSession older = ((PeerIds.Granted<PeerSession>) claim).replaced();
      if (older != null) {
        log.info(
            "replacing connection peer={} user={} from={} by one from={}",
            ClientText.value(join.senderId()),
            user(connection),
            older.connection.description(),
            connection.description());
        older.connection.close("replaced by a newer connection of the same peer");
        older.detach();
      }
      send(
          new Peer(
              options.peerId(),
              join.senderId(),
              PeerMetadata.stored(options.storageId()),
              RepoMessage.PROTOCOL_VERSION));
      log.info(
          "peer joined peer={} user={} from={}",
          ClientText.value(join.senderId()),
          user(connection),
          connection.description());
    }

    private void sync(DocumentId id, Bytes data, boolean isRequest, long arrivalNanos) {
      SyncMessage syncMessage =
          SyncMessage.decode(ProtocolAccess.unsafeArray(data), options.syncLimits());
      if (!options.access().allows(connection.principal(), id)) {
        observer.accessDenied();
        logDenied(id, isRequest);
        unavailable(id); // never the content, and nothing it sent is applied
        return;
      }
      boolean wasOpen = documents.contains(id);
      SharedDocument<PeerSession> shared = open(id, isRequest || syncMessage.heads().isEmpty());
      if (shared == null) {
        return;
      }
      PeerSession source = this;
      int applied =
          shared.receive(
              this,
              syncMessage,
              options.syncLimits(),
              (document, peer, state, message) -> {
                peer.sendSync(document, message);
                if (peer != source && message.changeEntryCount() > 0) {
                  observer.changesForwarded(System.nanoTime() - arrivalNanos);
                }
              });
      if (applied > 0) {
        observer.changesApplied(applied);
      }
      if (applied >= 0) {
        gossipAfterSync(shared, applied > 0, !wasOpen);
      }
    }

    /**
     * Logs a denied request or sync, the first {@link #DENIALS_LOGGED_MAX} per connection: the
     * metric counts every one, and a client that asks again and again cannot flood the log.
     */
    private void logDenied(DocumentId id, boolean isRequest) {
      if (deniedLogged >= DENIALS_LOGGED_MAX) {
        return;
      }
      deniedLogged++;
      log.warn(
          "access denied user={} peer={} from={} document={} message={}{}",
          user(connection),
          ClientText.value(peerId),
          connection.description(),
          id,
          isRequest ? "request" : "sync",
          deniedLogged == DENIALS_LOGGED_MAX
              ? " (further denials on this connection are counted, not logged)"
              : "");
    }

    /**
     * After a sync message from this peer: tells this peer, if it just began syncing the document,
     * the heads it subscribed to; tells our storage's subscribers our new heads if the document
     * changed; and tells the subscribers of this peer's storage its heads if they changed.
     */
    private void gossipAfterSync(
        SharedDocument<PeerSession> shared, boolean changed, boolean newlyOpened) {
      DocumentId id = shared.id;
      List<ChangeHash> ours;
      Optional<List<ChangeHash>> theirs;
      synchronized (shared.handle) {
        ours = shared.handle.heads();
        theirs = shared.state(this).flatMap(state -> state.syncState.theirHeads());
      }
      String ourStorage = options.storageId();
      if (newlyOpened) {
        for (Map.Entry<String, RemoteHeads> known : gossip.known(id).entrySet()) {
          if (gossip.isSubscribed(this, known.getKey())) {
            sendHeads(id, known.getKey(), known.getValue());
          }
        }
        if (!changed && gossip.isSubscribed(this, ourStorage)) {
          sendHeads(id, ourStorage, new RemoteHeads(UrlHeads.encode(id, ours), timestampMillis()));
        }
      }
      if (changed) {
        RemoteHeads heads = new RemoteHeads(UrlHeads.encode(id, ours), timestampMillis());
        for (PeerSession subscriber : gossip.subscribersOf(ourStorage)) {
          if (subscriber.documents.contains(id)) {
            subscriber.sendHeads(id, ourStorage, heads);
          }
        }
      }
      String theirStorage = storageId;
      if (theirStorage != null && theirs.isPresent() && !theirStorage.equals(ourStorage)) {
        RemoteHeads heads = new RemoteHeads(UrlHeads.encode(id, theirs.get()), timestampMillis());
        if (gossip.recordDirect(id, theirStorage, heads)) {
          tellSubscribers(id, theirStorage, heads);
        }
      }
    }

    /** Tells the subscribers of {@code storage} that sync {@code id}, but not this peer. */
    private void tellSubscribers(DocumentId id, String storage, RemoteHeads heads) {
      for (PeerSession subscriber : gossip.subscribersOf(storage)) {
        if (subscriber != this && subscriber.documents.contains(id)) {
          subscriber.sendHeads(id, storage, heads);
        }
      }
    }

    /** Sends this peer the heads of {@code id} at {@code storage}. */
    void sendHeads(DocumentId id, String storage, RemoteHeads heads) {
      String remote = peerId;
      if (remote != null && !detached.get()) {
        send(new RemoteHeadsChanged(options.peerId(), remote, id, Map.of(storage, heads)));
      }
    }

    /**
     * A {@code remote-subscription-change}: then the heads we know at each newly subscribed storage
     * ID of every document this peer syncs.
     */
    private void changeSubscriptions(RemoteSubscriptionChange change) {
      if (gossip.subscriptionCount(this) + change.add().size() > SUBSCRIPTIONS_PER_PEER_MAX) {
        fail(
            "limit-exceeded",
            "more than " + SUBSCRIPTIONS_PER_PEER_MAX + " remote-heads subscriptions");
        return;
      }
      List<String> added = gossip.subscribe(this, change.add(), change.remove());
      if (added.isEmpty()) {
        return;
      }
      String ourStorage = options.storageId();
      for (DocumentId id : List.copyOf(documents)) {
        Map<String, RemoteHeads> known = gossip.known(id);
        for (String storage : added) {
          RemoteHeads heads = known.get(storage);
          if (storage.equals(ourStorage)) {
            heads = ourHeads(id);
          }
          if (heads != null) {
            sendHeads(id, storage, heads);
          }
        }
      }
    }

    /** Our heads of {@code id}, stamped now; null if we no longer hold it. */
    private @Nullable RemoteHeads ourHeads(DocumentId id) {
      SharedDocument<PeerSession> shared;
      synchronized (docs) {
        shared = docs.get(id);
      }
      if (shared == null) {
        return null;
      }
      List<ChangeHash> heads;
      synchronized (shared.handle) {
        heads = shared.handle.heads();
      }
      return new RemoteHeads(UrlHeads.encode(id, heads), timestampMillis());
    }

    /**
     * A {@code remote-heads-changed} from this peer, about heads at storage peers further away:
     * recorded and passed on to their subscribers if newer. Only about a document the peer syncs
     * with us, never about our own storage (we know our heads best).
     */
    private void relayHeads(RemoteHeadsChanged changed) {
      DocumentId id = changed.documentId();
      if (!documents.contains(id)) {
        return;
      }
      for (Map.Entry<String, RemoteHeads> entry : changed.newHeads().entrySet()) {
        String storage = entry.getKey();
        RemoteHeads heads = entry.getValue();
        if (storage.equals(options.storageId()) || heads.heads().size() > GOSSIP_HEADS_MAX) {
          continue;
        }
        if (gossip.recordRelayed(id, storage, heads)) {
          tellSubscribers(id, storage, heads);
        }
      }
    }

    /**
     * The name the server remembers this peer by as a replica of the documents it syncs: its
     * storage ID, else its peer ID; none for an ephemeral peer, which keeps nothing.
     */
    private Optional<String> replicaName() {
      String storage = storageId;
      String peer = peerId;
      if (storage != null) {
        return Optional.of("storage:" + storage);
      }
      return ephemeral || peer == null ? Optional.empty() : Optional.of("peer:" + peer);
    }

    /**
     * The shared document {@code id}, joined by this peer; null if unavailable. The first time the
     * peer names it on this connection, it is remembered as a replica of it.
     */
    private @Nullable SharedDocument<PeerSession> open(DocumentId id, boolean peerLacksIt) {
      boolean known;
      synchronized (docs) {
        known = documents.contains(id);
      }
      SharedDocument<PeerSession> shared = join(id, peerLacksIt);
      if (shared != null && !known) {
        replicaName().ifPresent(name -> compactions.synced(id, name));
      }
      return shared;
    }

    private @Nullable SharedDocument<PeerSession> join(DocumentId id, boolean peerLacksIt) {
      synchronized (docs) {
        if (!documents.contains(id) && documents.size() >= options.documentsPerConnectionMax()) {
          unavailable(id);
          return null;
        }
        SharedDocument<PeerSession> shared = docs.get(id);
        if (shared != null) {
          joinLocked(shared, List.of());
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
        SharedDocument<PeerSession> shared = docs.get(id); // another peer may have opened it
        if (shared == null) {
          if (handle == null) {
            if (documents.size() + waiting.size() < options.documentsPerConnectionMax()) {
              waiting.add(id);
            }
            unavailable(id);
            return null;
          }
          shared = new SharedDocument<>(id, handle);
          docs.put(id, shared);
          joinLocked(shared, waitersFor(id));
        } else {
          joinLocked(shared, List.of());
        }
        return shared;
      }
    }

    /** This peer, and {@code waiters}, join {@code shared}; called holding {@code docs}. */
    private void joinLocked(SharedDocument<PeerSession> shared, List<PeerSession> waiters) {
      DocumentId id = shared.id;
      if (!documents.contains(id)) {
        documents.add(id);
        waiting.remove(id);
        shared.addPeer(this);
      }
      for (PeerSession waiter : waiters) {
        waiter.waiting.remove(id);
        waiter.documents.add(id);
        shared.addPeer(waiter);
      }
    }

    private List<PeerSession> waitersFor(DocumentId id) {
      List<PeerSession> waiters = new ArrayList<>();
      for (PeerSession session : sessions) {
        if (session != this && session.waiting.contains(id) && !session.detached.get()) {
          waiters.add(session);
        }
      }
      return waiters;
    }

    @Override
    public Optional<String> principal() {
      return connection.principal();
    }

    @Override
    public String remotePeerId() {
      return java.util.Objects.requireNonNullElse(peerId, "");
    }

    @Override
    public void unavailable(DocumentId id) {
      String remote = peerId;
      if (remote != null) {
        send(new DocUnavailable(options.peerId(), remote, id));
      }
    }

    /** Sends this peer a sync message; called under the document's lock. */
    void sendSync(SharedDocument<PeerSession> shared, SyncMessage message) {
      String remote = peerId;
      if (remote == null || detached.get()) {
        return;
      }
      send(
          new RepoMessage.Sync(
              options.peerId(), remote, shared.id, ProtocolAccess.wrap(message.encode())));
    }

    private void relay(Ephemeral ephemeral) {
      try {
        // Every JavaScript peer that receives it decodes it: relay only what decodes.
        ProtocolAccess.requireOneCborItem(codec, ephemeral.data());
      } catch (IllegalArgumentException e) {
        fail("malformed-message", "ephemeral data is " + e.getMessage());
        return;
      }
      if (!documents.contains(ephemeral.documentId())) {
        return; // only peers syncing a document (so with access to it) speak about it
      }
      String key = ephemeral.senderId() + ":" + ephemeral.sessionId();
      if (!ephemeralCounts.advance(key, ephemeral.count())) {
        return;
      }
      SharedDocument<PeerSession> shared;
      synchronized (docs) {
        shared = docs.get(ephemeral.documentId());
      }
      if (shared == null) {
        return;
      }
      List<PeerSession> targets = shared.peers();
      for (PeerSession target : targets) {
        String targetId = target.peerId;
        if (target != this && targetId != null) {
          target.offer(ephemeral.withTargetId(targetId));
        }
      }
    }

    @Override
    public void send(RepoMessage message) {
      byte[] frame = codec.encode(message);
      observer.messageSent(message.type(), frame.length);
      connection.send(frame);
    }

    /**
     * Sends an ephemeral message the transport may drop when this peer lags or memory runs short; a
     * dropped one is never encoded (a 512 KiB message fanned out to a dozen lagging peers would
     * otherwise allocate a dozen copies only to drop them).
     */
    void offer(Ephemeral message) {
      int[] frameBytes = new int[1];
      boolean queued =
          connection.offer(
              message.data().length() + EPHEMERAL_ENVELOPE_BYTES_MAX,
              () -> {
                byte[] frame = codec.encode(message);
                frameBytes[0] = frame.length;
                return frame;
              });
      if (queued) {
        observer.messageSent(message.type(), frameBytes[0]);
      } else {
        observer.messageDropped(message.type());
      }
    }

    /**
     * Closes this connection for a protocol violation of {@code kind}, with an error message. The
     * reason may quote the peer's input (an exception message does): it is cut and escaped before
     * it reaches the log or the reply.
     */
    private void fail(String kind, @Nullable String reason) {
      closeFromOutside(kind, reason);
      detach();
    }

    /**
     * Sends the error and closes, as {@link #fail}, but leaves detaching to the transport's {@code
     * onClose}: safe from any thread.
     */
    void closeFromOutside(String kind, @Nullable String reason) {
      String text = ClientText.reason(reason == null ? kind : reason);
      log.warn(
          "closing connection peer={} user={} from={} error={} reason={}",
          ClientText.value(peerId),
          user(connection),
          connection.description(),
          kind,
          text);
      observer.protocolError(kind);
      send(new ProtocolError(options.peerId(), peerId, text));
      connection.close(kind);
    }

    @Override
    public void onOversizedFrame(long frameBytes) {
      FrameTooLargeException e =
          new FrameTooLargeException(frameBytes, options.codecLimits().frameBytesMax());
      fail("frame-too-large", e.getMessage());
    }

    @Override
    public void onMemoryExceeded(long bufferedBytes, long bytesMax) {
      // May run on another connection's thread: send and close only (both safe from any thread);
      // the transport's onClose detaches the session on its own thread.
      String text =
          "the connection holds "
              + bufferedBytes
              + " bytes of frames not yet handled or written, more than its bound of "
              + bytesMax;
      closeFromOutside("connection-memory", text);
    }

    @Override
    public void onClose(String reason) {
      log.info(
          "connection closed peer={} user={} from={} reason={}",
          ClientText.value(peerId),
          user(connection),
          connection.description(),
          ClientText.reason(reason));
      detach();
    }

    /** Leaves every document; idempotent. */
    void detach() {
      if (!detached.compareAndSet(false, true)) {
        return;
      }
      if (sessions.remove(this)) {
        observer.connectionClosed();
      }
      String remote = peerId;
      if (remote != null) {
        peers.release(remote, this);
      }
      gossip.removePeer(this);
      synchronized (docs) {
        for (DocumentId id : documents) {
          SharedDocument<PeerSession> shared = docs.get(id);
          if (shared == null) {
            continue;
          }
          if (shared.removePeer(this)) {
            docs.remove(id);
          }
        }
        documents.clear();
        waiting.clear();
      }
    }
  }
}
