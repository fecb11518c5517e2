package dev.converge.net.server;

import dev.converge.core.ChangeHash;
import dev.converge.net.internal.LogThrottle;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.relay.Relay;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * whenever its heads change, and those a peer relays from further away, if newer ({@code
 * ServerGossip}). A peer hears only of documents it syncs with us (so has access to, and holds a
 * handle for), and relays only about those.
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
 * <p>Each connection is a {@code ServerSession} (handshake, rate limit, dispatch, sync); the
 * documents open now and the sessions waiting for one are {@code ServerDocuments}; ephemeral
 * messages go through {@code EphemeralRelay}; purges and compactions through {@code ServerPurges}
 * and {@code ServerCompactions}. Each connection gets a fresh {@code SyncState} per document. All
 * work on one document runs under the lock of its handle, so sync states, the document and local
 * changes stay consistent.
 *
 * <p>Thread-safety: safe for use by many threads; a transport calls each connection's handler from
 * one thread at a time.
 */
public final class SyncServer implements Acceptor {
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);
  private static final int PEER_OWNERS_MAX = 10_000;

  /** At most one line per this interval about connections closed before they joined. */
  private static final long UNJOINED_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final DocumentStore store;
  private final SessionContext context;
  private volatile boolean closed;

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
    this.store = store;
    Set<ServerSession> sessions = ConcurrentHashMap.newKeySet();
    ServerDocuments documents =
        new ServerDocuments(store, options.documentsPerConnectionMax(), sessions);
    MessageCodec codec = new MessageCodec(options.codecLimits());
    this.context =
        new SessionContext(
            options,
            observer,
            codec,
            new PeerIds<>(
                PEER_OWNERS_MAX,
                session -> session.connection.principal(),
                ServerSession::isDetached),
            sessions,
            documents,
            new ServerGossip(options.storageId(), documents, wallClock),
            new EphemeralRelay(documents, codec, observer),
            new ServerCompactions(
                options.peerId(), store, options.access(), documents::stopSyncing),
            new ServerPurges(options.peerId(), store, options.access(), documents::stopSyncing),
            sealedRelay,
            nanoTime,
            wallClock,
            new LogThrottle(UNJOINED_LOG_INTERVAL_NANOS));
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
    context.documents().stopSyncing(id, null);
    return store.purge(id);
  }

  /**
   * Purges each compacted document whose known replicas have all moved to its successor, if that
   * loses nothing (see {@code ServerCompactions}); the server checks when a replica moves, and this
   * catches a successor that was stored only afterwards. Run it now and then.
   */
  public void settleCompactions() {
    context.compactions().settleAll();
  }

  public SyncServerOptions options() {
    return context.options();
  }

  /** How many connections are open. */
  public int connectionCount() {
    return context.sessions().size();
  }

  @Override
  public ConnectionHandler accept(Connection connection) {
    ServerSession session = new ServerSession(connection, context);
    if (closed) {
      connection.close("server shutting down");
      return session;
    }
    context.sessions().add(session);
    context.observer().connectionOpened();
    // At debug: hostile clients open sockets at will; "peer joined" reports the real ones.
    log.debug("connection opened from={} user={}", connection.description(), session.user());
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
    long now = context.nanoTime().getAsLong();
    long timeoutNanos = joinTimeout.toNanos();
    int closedCount = 0;
    for (ServerSession session : context.sessions()) {
      if (session.peerId == null
          && !session.isDetached()
          && now - session.openedNanos >= timeoutNanos) {
        session.closeFromOutside(
            "join-timeout", "no join within " + joinTimeout.toMillis() + " ms of connecting");
        closedCount++;
      }
    }
    return closedCount;
  }

  /** The clients connected now, oldest connection first: for operators (the inspector). */
  public List<ConnectedPeer> connectedPeers() {
    List<ConnectedPeer> peers = new ArrayList<>();
    for (ServerSession session : context.sessions()) {
      String peerId = session.peerId;
      peers.add(
          new ConnectedPeer(
              peerId == null ? "" : peerId,
              session.connection.principal().orElse(""),
              session.connection.description(),
              session.openedMillis,
              session.documents.size()));
    }
    peers.sort(Comparator.comparingLong(ConnectedPeer::connectedAtMillis));
    return peers;
  }

  /**
   * For document {@code id}, the heads each joined peer syncing it last reported in its sync
   * messages, by peer ID; a peer that reported none yet is absent.
   */
  public Map<String, List<ChangeHash>> peerHeads(DocumentId id) {
    return context.documents().peerHeads(id);
  }

  /**
   * Offers every peer syncing {@code id} the changes the document gained by a path other than this
   * server's peers (a cluster's shared log, another program on the same repository).
   */
  public void documentChanged(DocumentId id) {
    context.documents().documentChanged(id);
  }

  /**
   * A client's sync message for {@code id}, which the store's gate held back ({@link
   * dev.converge.repo.DocHandle.ChangeGate#DEFERRED}), is applied now and added {@code applied}
   * changes: counts them as applied, tells our storage's remote-heads subscribers the new heads,
   * and offers every peer syncing it what it lacks, counting the changes forwarded since {@code
   * receivedNanos} ({@link System#nanoTime}, when the message arrived).
   */
  public void changesAdmitted(DocumentId id, int applied, long receivedNanos) {
    NetworkObserver observer = context.observer();
    if (applied > 0) {
      observer.changesApplied(applied);
    }
    var shared = context.documents().get(id);
    if (shared == null) {
      return;
    }
    if (applied > 0) {
      context.gossip().headsChanged(shared);
    }
    shared.offerAll(
        (document, peer, state, message) -> {
          peer.sendSync(document, message);
          if (message.changeEntryCount() > 0) {
            observer.changesForwarded(System.nanoTime() - receivedNanos);
          }
        });
  }

  /**
   * Closes the connection of every peer syncing {@code id}, because the store cannot keep a change
   * it was sent (a cluster's log refused it): each peer's client still holds its changes and sends
   * them again on its next connection, with a fresh sync state.
   */
  public void closeSyncing(DocumentId id, String reason) {
    var shared = context.documents().get(id);
    if (shared == null) {
      return;
    }
    for (ServerSession peer : shared.peers()) {
      log.warn("closing peer={} of document={}: {}", ClientText.value(peer.peerId), id, reason);
      peer.connection.close(reason);
      peer.detach();
    }
  }

  /** Closes every connection; later connections are refused. */
  public void close() {
    closed = true;
    for (ServerSession session : List.copyOf(context.sessions())) {
      session.connection.close("server shutting down");
      session.detach();
    }
  }
}
