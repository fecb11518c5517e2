package dev.converge.net.server;

import dev.converge.core.ConvergeException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.sync.SyncMessage;
import dev.converge.net.internal.ForwardMessages;
import dev.converge.net.internal.LogThrottle;
import dev.converge.net.internal.ProtocolAccess;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.internal.SharedDocument;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.FrameTooLargeException;
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
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentCompactedException;
import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a {@link SyncServer}: its handshake, the rate limit and checks every frame
 * passes, the dispatch of each message, and its syncs. What sessions share (documents, gossip,
 * ephemeral relay, purges and compactions) lives in the {@link SessionContext}.
 *
 * <p>Thread-safety: the transport calls the handler from one thread at a time; sending, closing and
 * {@link #detach} are safe from any thread.
 */
final class ServerSession implements ConnectionHandler, ServerPurges.Peer {
  // The server's logger: operators filter one category for every connection's lines.
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);

  final Connection connection;
  private final SessionContext context;
  private final SyncServerOptions options;
  private final AtomicBoolean detached = new AtomicBoolean();
  volatile @Nullable String peerId;

  /** The peer's storage ID, from its join; null for a peer without storage. */
  volatile @Nullable String storageId;

  private volatile boolean ephemeral;

  /** The documents this peer syncs; changed under {@link ServerDocuments}' lock. */
  final Set<DocumentId> documents = ConcurrentHashMap.newKeySet();

  /** The documents this peer waits for; changed under {@link ServerDocuments}' lock. */
  final Set<DocumentId> waiting = ConcurrentHashMap.newKeySet();

  final long openedNanos;
  final long openedMillis;

  /** The denials this connection logged (touched only by its transport thread). */
  private final DenialLog denials = new DenialLog(log);

  private final TokenBucket messageTokens;

  ServerSession(Connection connection, SessionContext context) {
    this.connection = connection;
    this.context = context;
    this.options = context.options();
    this.openedNanos = context.nanoTime().getAsLong();
    this.openedMillis = context.wallClock().millis();
    this.messageTokens = new TokenBucket(options.messagesPerSecondMax(), context.nanoTime());
  }

  boolean isDetached() {
    return detached.get();
  }

  @Override
  public void onFrame(byte[] frame) {
    if (detached.get()) {
      return;
    }
    long arrivalNanos = System.nanoTime();
    if (!messageTokens.take()) {
      fail("rate-limited", "more than " + options.messagesPerSecondMax() + " messages per second");
      return;
    }
    RepoMessage message;
    try {
      message = context.codec().decode(frame);
    } catch (LimitExceededException e) {
      fail("frame-too-large", e.getMessage());
      return;
    } catch (ConvergeException e) {
      fail("malformed-message", e.getMessage());
      return;
    }
    // A fixed label: the type of an unknown message is the peer's text, and would make a new
    // time series per string.
    context
        .observer()
        .messageReceived(
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
          message instanceof Request request ? request.data() : ((RepoMessage.Sync) message).data();
      sync(documentMessage.documentId(), data, message instanceof Request, arrivalNanos);
    } else if (message instanceof RepoMessage.Sealed sealed) {
      answerSealed(remote, sealed);
    } else if (message instanceof Ephemeral ephemeralMessage) {
      relay(ephemeralMessage);
    } else if (message instanceof RemoteSubscriptionChange change) {
      changeSubscriptions(change);
    } else if (message instanceof RemoteHeadsChanged changed) {
      context.gossip().relayHeads(this, changed);
    } else if (message instanceof ProtocolError error) {
      log.info(
          "peer={} user={} reported error: {}",
          ClientText.value(remote),
          user(),
          ClientText.reason(error.message()));
      connection.close("peer reported an error");
    } else if (message instanceof Join) {
      fail("second-join", "join on a connection that already joined");
    } else if (message instanceof RepoMessage.Unknown unknown) {
      handleUnknown(unknown);
    }
    // doc-unavailable, peer and unknown types: nothing to do for a server that announces nothing.
  }

  /** Converge's own messages: purges and compactions; other unknown types are ignored. */
  private void handleUnknown(RepoMessage.Unknown unknown) {
    if (PurgeMessages.isPurgeMessage(unknown.type())) {
      // A compacted document is answered with where it moved, not as purged.
      if (!unknown.type().equals(PurgeMessages.QUERY)
          || !context.compactions().answerQuery(this, PurgeMessages.documentId(unknown))) {
        context.purges().handle(this, unknown);
      }
    } else if (unknown.type().equals(ForwardMessages.COMPACTED)) {
      context.compactions().compacted(this, replicaName(), unknown);
    }
  }

  /** Answers a sealed-relay request, if this server relays sealed documents. */
  private void answerSealed(String remote, RepoMessage.Sealed sealed) {
    SealedRelayEndpoint endpoint = context.sealedRelay();
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
      context.observer().protocolError("unsupported-version");
      connection.close("unsupported protocol version");
      detach();
      return;
    }
    PeerIds.Claim<ServerSession> claim = context.peers().claim(join.senderId(), this);
    if (claim instanceof PeerIds.Refused<ServerSession> refused) {
      log.warn(
          "refused join peer={} user={} from={}: the peer ID belongs to user={}",
          ClientText.value(join.senderId()),
          user(),
          connection.description(),
          refused.owner().orElse("-"));
      context.observer().protocolError("peer-id-taken");
      send(new ProtocolError(options.peerId(), join.senderId(), "peer ID belongs to another user"));
      connection.close("peer-id-taken");
      detach();
      return;
    }
    storageId = join.peerMetadata().storageId();
    ephemeral = Boolean.TRUE.equals(join.peerMetadata().isEphemeral());
    peerId = join.senderId();
    ServerSession older = ((PeerIds.Granted<ServerSession>) claim).replaced();
    if (older != null) {
      log.info(
          "replacing connection peer={} user={} from={} by one from={}",
          ClientText.value(join.senderId()),
          user(),
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
        user(),
        connection.description());
  }

  private void sync(DocumentId id, Bytes data, boolean isRequest, long arrivalNanos) {
    SyncMessage syncMessage =
        SyncMessage.decode(ProtocolAccess.unsafeArray(data), options.syncLimits());
    if (!options.access().allows(connection.principal(), id)) {
      context.observer().accessDenied();
      denials.denied(user(), ClientText.value(peerId), connection.description(), id, isRequest);
      unavailable(id); // never the content, and nothing it sent is applied
      return;
    }
    boolean wasOpen = documents.contains(id);
    SharedDocument<ServerSession> shared = open(id, isRequest || syncMessage.heads().isEmpty());
    if (shared == null) {
      return;
    }
    ServerSession source = this;
    NetworkObserver observer = context.observer();
    int applied;
    try {
      applied =
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
    } catch (DocumentCompactedException e) {
      // The document was compacted after this session opened it: the peer did nothing wrong, so
      // it hears where the document moved (or that it is gone), and the connection stays.
      if (!context.compactions().answerQuery(this, id)) {
        unavailable(id);
      }
      return;
    }
    if (applied > 0) {
      observer.changesApplied(applied);
    }
    // A message the store's gate applies later is counted and gossiped by
    // SyncServer.changesAdmitted.
    if (applied >= 0 || applied == DocHandle.ChangeGate.DEFERRED) {
      context.gossip().afterSync(this, shared, applied > 0, !wasOpen);
    }
  }

  /**
   * The shared document {@code id}, joined by this peer; null if unavailable. The first time the
   * peer names it on this connection, it is remembered as a replica of it.
   */
  private @Nullable SharedDocument<ServerSession> open(DocumentId id, boolean peerLacksIt) {
    boolean known = context.documents().syncs(this, id);
    SharedDocument<ServerSession> shared = context.documents().join(this, id, peerLacksIt);
    if (shared != null && !known) {
      replicaName().ifPresent(name -> context.compactions().synced(id, name));
    }
    return shared;
  }

  /**
   * The name the server remembers this peer by as a replica of the documents it syncs: its storage
   * ID, else its peer ID; none for an ephemeral peer, which keeps nothing.
   */
  private Optional<String> replicaName() {
    String storage = storageId;
    String peer = peerId;
    if (storage != null) {
      return Optional.of("storage:" + storage);
    }
    return ephemeral || peer == null ? Optional.empty() : Optional.of("peer:" + peer);
  }

  private void changeSubscriptions(RemoteSubscriptionChange change) {
    if (!context.gossip().changeSubscriptions(this, change)) {
      fail(
          "limit-exceeded",
          "more than " + ServerGossip.SUBSCRIPTIONS_PER_PEER_MAX + " remote-heads subscriptions");
    }
  }

  private void relay(Ephemeral message) {
    try {
      // Every JavaScript peer that receives it decodes it: relay only what decodes.
      ProtocolAccess.requireOneCborItem(context.codec(), message.data());
    } catch (IllegalArgumentException e) {
      fail("malformed-message", "ephemeral data is " + e.getMessage());
      return;
    }
    context.ephemeralRelay().relay(this, message);
  }

  /** Sends this peer the heads of {@code id} at {@code storage}. */
  void sendHeads(DocumentId id, String storage, RemoteHeads heads) {
    String remote = peerId;
    if (remote != null && !detached.get()) {
      send(new RemoteHeadsChanged(options.peerId(), remote, id, Map.of(storage, heads)));
    }
  }

  @Override
  public Optional<String> principal() {
    return connection.principal();
  }

  @Override
  public String remotePeerId() {
    return Objects.requireNonNullElse(peerId, "");
  }

  @Override
  public void unavailable(DocumentId id) {
    String remote = peerId;
    if (remote != null) {
      send(new DocUnavailable(options.peerId(), remote, id));
    }
  }

  /** Sends this peer a sync message; called under the document's lock. */
  void sendSync(SharedDocument<ServerSession> shared, SyncMessage message) {
    String remote = peerId;
    if (remote == null || detached.get()) {
      return;
    }
    send(
        new RepoMessage.Sync(
            options.peerId(), remote, shared.id, ProtocolAccess.wrap(message.encode())));
  }

  @Override
  public void send(RepoMessage message) {
    byte[] frame = context.codec().encode(message);
    context.observer().messageSent(message.type(), frame.length);
    connection.send(frame);
  }

  /**
   * Closes this connection for a protocol violation of {@code kind}, with an error message. The
   * reason may quote the peer's input (an exception message does): it is cut and escaped before it
   * reaches the log or the reply.
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
    OptionalLong heldBack = logAcquire();
    if (heldBack.isPresent()) {
      log.warn(
          "closing connection peer={} user={} from={} error={} reason={}{}",
          ClientText.value(peerId),
          user(),
          connection.description(),
          kind,
          text,
          LogThrottle.heldBackSuffix(heldBack.getAsLong()));
    }
    context.observer().protocolError(kind);
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
    if (peerId != null) {
      log.info(
          "connection closed peer={} user={} from={} reason={}",
          ClientText.value(peerId),
          user(),
          connection.description(),
          ClientText.reason(reason));
    } else {
      log.debug(
          "connection closed before joining from={} reason={}",
          connection.description(),
          ClientText.reason(reason));
    }
    detach();
  }

  /**
   * Whether to log a line about this connection: always once it joined; before that, at most one
   * line per interval across the server's connections (with how many were held back), since sockets
   * that never join cost a client nothing to open by the thousand.
   */
  private OptionalLong logAcquire() {
    return peerId != null
        ? OptionalLong.of(0)
        : context.unjoinedLog().tryAcquire(context.nanoTime().getAsLong());
  }

  /** Leaves every document; idempotent. */
  void detach() {
    if (!detached.compareAndSet(false, true)) {
      return;
    }
    if (context.sessions().remove(this)) {
      context.observer().connectionClosed();
    }
    String remote = peerId;
    if (remote != null) {
      context.peers().release(remote, this);
    }
    context.gossip().removePeer(this);
    context.documents().leaveAll(this);
  }

  /** Who the transport authenticated this connection as, for logs: a token's name, or {@code -}. */
  String user() {
    return connection.principal().orElse("-");
  }
}
