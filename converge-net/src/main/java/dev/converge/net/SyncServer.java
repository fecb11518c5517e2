package dev.converge.net;

import dev.converge.core.ConvergeException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.net.RepoMessage.DocUnavailable;
import dev.converge.net.RepoMessage.DocumentMessage;
import dev.converge.net.RepoMessage.Ephemeral;
import dev.converge.net.RepoMessage.Join;
import dev.converge.net.RepoMessage.Peer;
import dev.converge.net.RepoMessage.ProtocolError;
import dev.converge.net.RepoMessage.Request;
import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Every frame is hostile until decoded and checked: a malformed frame, a bad sync message, or a
 * broken limit closes that connection with an {@code error} message and touches no document (the
 * sync layer verifies before it applies) and no other connection.
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

  private final DocumentStore store;
  private final SyncServerOptions options;
  private final NetworkObserver observer;
  private final MessageCodec codec;
  private final Map<DocumentId, SharedDocument<PeerSession>> docs = new HashMap<>();
  private final Map<String, PeerSession> peers = new ConcurrentHashMap<>();
  private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> ephemeralCounts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > EPHEMERAL_SESSIONS_MAX;
        }
      };
  private final LongSupplier nanoTime;
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
    this.nanoTime = nanoTime;
    this.store = store;
    this.options = options;
    this.observer = observer;
    this.codec = new MessageCodec(options.codecLimits());
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
    log.info("connection opened from={}", connection.description());
    return session;
  }

  /** Closes every connection; later connections are refused. */
  public void close() {
    closed = true;
    for (PeerSession session : List.copyOf(sessions)) {
      session.connection.close("server shutting down");
      session.detach();
    }
  }

  private final class PeerSession implements ConnectionHandler {
    final Connection connection;
    final AtomicBoolean detached = new AtomicBoolean();
    @Nullable String peerId;
    final Set<DocumentId> documents = ConcurrentHashMap.newKeySet();
    final Set<DocumentId> waiting = ConcurrentHashMap.newKeySet();

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
      observer.messageReceived(message.type(), frame.length);
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
          fail("no-join", "expected join first, got " + message.type());
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
      } else if (message instanceof Ephemeral ephemeral) {
        relay(ephemeral);
      } else if (message instanceof ProtocolError error) {
        log.info("peer={} reported error: {}", remote, error.message());
        connection.close("peer reported an error");
      } else if (message instanceof Join) {
        fail("second-join", "join on a connection that already joined");
      }
      // doc-unavailable, peer, remote-heads gossip and unknown types: nothing to do for a server
      // that announces nothing and keeps no gossip.
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
      peerId = join.senderId();
      PeerSession older = peers.put(join.senderId(), this);
      if (older != null && older != this) {
        older.connection.close("replaced by a newer connection of the same peer");
        older.detach();
      }
      send(
          new Peer(
              options.peerId(),
              join.senderId(),
              PeerMetadata.stored(options.storageId()),
              RepoMessage.PROTOCOL_VERSION));
      log.info("peer joined peer={} from={}", join.senderId(), connection.description());
    }

    private void sync(DocumentId id, Bytes data, boolean isRequest, long arrivalNanos) {
      SyncMessage syncMessage = SyncMessage.decode(data.unsafeArray(), options.syncLimits());
      if (!options.access().allows(connection.principal(), id)) {
        observer.accessDenied();
        unavailable(id); // never the content, and nothing it sent is applied
        return;
      }
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
    }

    /** The shared document {@code id}, joined by this peer; null if unavailable. */
    private @Nullable SharedDocument<PeerSession> open(DocumentId id, boolean peerLacksIt) {
      SharedDocument<PeerSession> shared;
      List<PeerSession> waiters = List.of();
      synchronized (docs) {
        if (!documents.contains(id) && documents.size() >= options.documentsPerConnectionMax()) {
          unavailable(id);
          return null;
        }
        shared = docs.get(id);
        if (shared == null) {
          Optional<DocHandle> found = store.find(id);
          if (found.isEmpty() && peerLacksIt) {
            if (documents.size() + waiting.size() < options.documentsPerConnectionMax()) {
              waiting.add(id);
            }
            unavailable(id);
            return null;
          }
          DocHandle handle = found.isPresent() ? found.get() : store.create(id);
          shared = new SharedDocument<>(id, handle);
          docs.put(id, shared);
          waiters = waitersFor(id);
        }
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
      return shared;
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

    private void unavailable(DocumentId id) {
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
      send(new RepoMessage.Sync(options.peerId(), remote, shared.id, Bytes.wrap(message.encode())));
    }

    private void relay(Ephemeral ephemeral) {
      if (!documents.contains(ephemeral.documentId())) {
        return; // only peers syncing a document (so with access to it) speak about it
      }
      String key = ephemeral.senderId() + ":" + ephemeral.sessionId();
      synchronized (ephemeralCounts) {
        Long last = ephemeralCounts.get(key);
        if (last != null && ephemeral.count() <= last) {
          return;
        }
        ephemeralCounts.put(key, ephemeral.count());
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
          target.send(ephemeral.withTargetId(targetId));
        }
      }
    }

    void send(RepoMessage message) {
      byte[] frame = codec.encode(message);
      observer.messageSent(message.type(), frame.length);
      connection.send(frame);
    }

    private void fail(String kind, @Nullable String reason) {
      String text = reason == null ? kind : reason;
      log.warn(
          "closing connection peer={} from={} error={} reason={}",
          peerId,
          connection.description(),
          kind,
          text);
      observer.protocolError(kind);
      send(new ProtocolError(options.peerId(), peerId, text));
      connection.close(kind);
      detach();
    }

    @Override
    public void onOversizedFrame(long frameBytes) {
      FrameTooLargeException e =
          new FrameTooLargeException(frameBytes, options.codecLimits().frameBytesMax());
      fail("frame-too-large", e.getMessage());
    }

    @Override
    public void onClose(String reason) {
      log.info(
          "connection closed peer={} from={} reason={}", peerId, connection.description(), reason);
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
        peers.remove(remote, this);
      }
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
