package dev.converge.net.client;

import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncLimits;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.net.internal.ForwardMessages;
import dev.converge.net.internal.ProtocolAccess;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.CodecLimits;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.Peer;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.RelayChannel;
import dev.converge.repo.sealed.RelayMessageCodec;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.spi.Forward;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * One sync with a server, document by document, for a command line: joins, then brings each
 * document to the same heads on both sides with the automerge sync protocol ({@link #sync}), and
 * carries sealed-relay requests ({@link #relayChannel}). Unlike {@link RepoPeer} it does not stay
 * connected, reconnect or listen for changes.
 *
 * <p>Thread-safety: one thread uses it; the transport's thread only queues what arrives.
 */
public final class SyncClient implements AutoCloseable {
  /** What the server's messages do to one document. */
  public record Outcome(DocumentId documentId, boolean inSync, String detail) {
    public Outcome {
      java.util.Objects.requireNonNull(documentId, "documentId");
      java.util.Objects.requireNonNull(detail, "detail");
    }
  }

  private static final Object CLOSED = new Object();

  private final Connection connection;
  private final BlockingQueue<Object> inbox;
  private final MessageCodec codec;
  private final String peerId;
  private final String serverId;
  private final long timeoutNanos;
  private final SealedLimits sealedLimits;
  private final String serverName;
  private final RandomGenerator random;
  private RelaySupport relay = RelaySupport.UNKNOWN;
  private String closeReason = "";

  /** What this client learned of the server's sealed relay. */
  private enum RelaySupport {
    UNKNOWN,
    PRESENT,
    ABSENT
  }

  private SyncClient(
      Connection connection,
      BlockingQueue<Object> inbox,
      MessageCodec codec,
      String peerId,
      String serverId,
      Duration timeout,
      SealedLimits sealedLimits,
      String serverName,
      RandomGenerator random) {
    this.connection = connection;
    this.inbox = inbox;
    this.codec = codec;
    this.peerId = peerId;
    this.serverId = serverId;
    this.timeoutNanos = timeout.toNanos();
    this.sealedLimits = sealedLimits;
    this.serverName = serverName;
    this.random = random;
  }

  /**
   * Connects through {@code dialer} and joins.
   *
   * @param timeout how long connecting, and then each answer of the server, may take
   * @throws ConvergeException of kind IO if the server cannot be reached, refuses the connection,
   *     or does not answer the join in time
   */
  public static SyncClient connect(
      Dialer dialer, Duration timeout, SealedLimits sealedLimits, RandomGenerator random) {
    return connect(dialer, timeout, sealedLimits, random, PeerMetadata.NONE);
  }

  /**
   * Connects as {@link #connect(Dialer, Duration, SealedLimits, RandomGenerator)} does, telling the
   * server {@code metadata} in the join: a repository's storage ID there lets the server know it
   * again at every sync as the same replica (what it counts before purging a compacted document).
   *
   * @throws ConvergeException as the other {@code connect}
   */
  public static SyncClient connect(
      Dialer dialer,
      Duration timeout,
      SealedLimits sealedLimits,
      RandomGenerator random,
      PeerMetadata metadata) {
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    MessageCodec codec = new MessageCodec(CodecLimits.DEFAULT);
    ConnectionHandler handler =
        new ConnectionHandler() {
          @Override
          public void onFrame(byte[] frame) {
            try {
              inbox.add(codec.decode(frame));
            } catch (ConvergeException e) {
              inbox.add(e);
            }
          }

          @Override
          public void onClose(String reason) {
            inbox.add(new ClosedBy(reason));
          }
        };
    Connection connection;
    try {
      connection = dialer.dial(handler).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "cannot connect to " + dialer.description() + ": " + reason(cause),
          cause);
    } catch (TimeoutException e) {
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "cannot connect to " + dialer.description() + " within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConvergeException(ConvergeException.Kind.IO, "interrupted while connecting");
    }
    String peerId = "converge-sync-" + Long.toHexString(random.nextLong());
    connection.send(
        codec.encode(new Join(peerId, metadata, List.of(RepoMessage.PROTOCOL_VERSION))));
    String server = dialer.description();
    SyncClient client =
        new SyncClient(connection, inbox, codec, peerId, "", timeout, sealedLimits, server, random);
    Peer peer = client.awaitPeer();
    return new SyncClient(
        connection, inbox, codec, peerId, peer.senderId(), timeout, sealedLimits, server, random);
  }

  private Peer awaitPeer() {
    while (true) {
      RepoMessage message = next("the server's answer to join");
      if (message instanceof Peer peer) {
        return peer;
      }
      if (message instanceof ProtocolError error) {
        throw failure("the server refused to join: " + error.message());
      }
    }
  }

  /**
   * Syncs {@code handle} with the server until both have the same heads: in sync, or not (with why)
   * if the server does not have the document, denies it, or stops answering.
   *
   * @throws ConvergeException of kind IO if the connection fails; CORRUPT_DATA if the server's sync
   *     messages are malformed
   */
  public Outcome sync(DocHandle handle) {
    DocumentId id = handle.id();
    SyncState state = new SyncState();
    boolean empty = handle.heads().isEmpty();
    Optional<SyncMessage> first = handle.generateSyncMessage(state);
    if (first.isEmpty()) {
      throw new IllegalStateException("a fresh sync state always has a first message");
    }
    Bytes data = ProtocolAccess.wrap(first.get().encode());
    send(
        empty
            ? new RepoMessage.Request(peerId, serverId, id, data)
            : new RepoMessage.Sync(peerId, serverId, id, data));
    while (true) {
      RepoMessage message = next("the server's sync message for " + id);
      if (message instanceof DocUnavailable unavailable && unavailable.documentId().equals(id)) {
        return empty
            ? new Outcome(id, true, "neither side has any change")
            : new Outcome(id, false, "the server does not serve " + id + " to this client");
      }
      if (message instanceof ProtocolError error) {
        throw failure("the server reported an error: " + error.message());
      }
      if (!(message instanceof RepoMessage.Sync sync) || !sync.documentId().equals(id)) {
        continue; // gossip, ephemeral, or about another document: not ours to act on
      }
      SyncMessage received =
          SyncMessage.decode(ProtocolAccess.unsafeArray(sync.data()), SyncLimits.DEFAULT);
      handle.receiveSyncMessage(state, received, SyncLimits.DEFAULT);
      Optional<SyncMessage> reply = handle.generateSyncMessage(state);
      reply.ifPresent(
          next ->
              send(new RepoMessage.Sync(peerId, serverId, id, ProtocolAccess.wrap(next.encode()))));
      Optional<List<ChangeHash>> theirs = state.theirHeads();
      if (theirs.isPresent() && new HashSet<>(theirs.get()).equals(new HashSet<>(handle.heads()))) {
        return new Outcome(id, true, "heads " + handle.heads().size());
      }
    }
  }

  /**
   * Tells the server of a compaction this repository made or moved past, and returns the link the
   * server holds for the old document (the first one it was told of).
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the server refuses (no write access to
   *     either document, or it cannot record links); IO if the connection fails
   */
  public Forward announce(Forward forward) {
    DocumentId old = DocumentId.parse(forward.documentId());
    send(ForwardMessages.message(ForwardMessages.COMPACTED, peerId, serverId, forward));
    while (true) {
      RepoMessage message = next("the server's answer to the compaction of " + old);
      Optional<Forward> moved = movedAnswer(message, old);
      if (moved.isPresent()) {
        return moved.get();
      }
      if (message instanceof DocUnavailable unavailable && unavailable.documentId().equals(old)) {
        throw new ConvergeException(
            ConvergeException.Kind.INVALID_ARGUMENT,
            "the server refused the compaction of " + old + " (no write access)");
      }
      if (message instanceof ProtocolError error) {
        throw failure("the server reported an error: " + error.message());
      }
    }
  }

  /**
   * Asks the server why it does not serve document {@code id}: the link to the document it moved to
   * if it was compacted, empty otherwise (purged, unknown, or denied).
   *
   * @throws ConvergeException of kind IO if the connection fails
   */
  public Optional<Forward> whereMoved(DocumentId id) {
    send(PurgeMessages.message(PurgeMessages.QUERY, peerId, serverId, id));
    while (true) {
      RepoMessage message = next("the server's answer about " + id);
      Optional<Forward> moved = movedAnswer(message, id);
      if (moved.isPresent()) {
        return moved;
      }
      boolean answered =
          (message instanceof DocUnavailable unavailable && unavailable.documentId().equals(id))
              || (message instanceof RepoMessage.Unknown unknown
                  && unknown.type().equals(PurgeMessages.PURGED)
                  && PurgeMessages.documentId(unknown).equals(id));
      if (answered) {
        return Optional.empty();
      }
      if (message instanceof ProtocolError error) {
        throw failure("the server reported an error: " + error.message());
      }
    }
  }

  private static Optional<Forward> movedAnswer(RepoMessage message, DocumentId old) {
    if (message instanceof RepoMessage.Unknown unknown
        && unknown.type().equals(ForwardMessages.MOVED)) {
      Forward forward = ForwardMessages.forward(unknown);
      if (forward.documentId().equals(old.toString())) {
        return Optional.of(forward);
      }
    }
    return Optional.empty();
  }

  /**
   * A channel to the server's sealed relay over this connection.
   *
   * <p>A server that does not relay sealed documents ignores them, and would leave the exchange
   * waiting for the timeout. So the first exchange is followed by a probe: a {@code request} for a
   * random document ID, which every server answers ({@code doc-unavailable}, or a sync message). A
   * server handles one connection's messages in order and answers a sealed request at once, so an
   * answer about the probe before the sealed answer means there is no relay.
   *
   * @throws RelayUnavailableException from the exchange, if the server does not relay sealed
   *     documents; nothing was stored for the sealed document then
   */
  public RelayChannel relayChannel() {
    return request -> {
      if (relay == RelaySupport.ABSENT) {
        throw new RelayUnavailableException(serverName);
      }
      send(
          new RepoMessage.Sealed(
              peerId, serverId, ProtocolAccess.wrap(RelayMessageCodec.encode(request))));
      Optional<DocumentId> probe =
          relay == RelaySupport.UNKNOWN ? Optional.of(sendProbe()) : Optional.empty();
      while (true) {
        RepoMessage message =
            next("the server's answer to a sealed request (does it relay sealed documents?)");
        if (message instanceof RepoMessage.Sealed answer) {
          relay = RelaySupport.PRESENT;
          return RelayMessageCodec.decode(ProtocolAccess.unsafeArray(answer.data()), sealedLimits);
        }
        if (probe.isPresent()
            && message instanceof RepoMessage.DocumentMessage about
            && about.documentId().equals(probe.get())) {
          relay = RelaySupport.ABSENT;
          throw new RelayUnavailableException(serverName);
        }
        if (message instanceof ProtocolError error) {
          throw failure("the server reported an error: " + error.message());
        }
      }
    };
  }

  /** Asks for a document nobody has; returns its ID. */
  private DocumentId sendProbe() {
    DocumentId probe = DocumentId.random(random);
    Optional<byte[]> first = Sync.generateMessage(Document.create(), new SyncState());
    if (first.isEmpty()) {
      throw new IllegalStateException("a fresh sync state always has a first message");
    }
    send(new RepoMessage.Request(peerId, serverId, probe, ProtocolAccess.wrap(first.get())));
    return probe;
  }

  private void send(RepoMessage message) {
    connection.send(codec.encode(message));
  }

  /** The next message from the server, or a failure if none comes in time or it closed. */
  private RepoMessage next(String waitingFor) {
    if (!closeReason.isEmpty()) {
      throw failure("the server closed the connection (" + closeReason + ")");
    }
    Object item;
    try {
      item = inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for " + waitingFor);
    }
    if (item == null) {
      throw failure(
          "no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms: " + waitingFor);
    }
    if (item instanceof ClosedBy closed) {
      closeReason = closed.reason().isEmpty() ? "no reason given" : closed.reason();
      inbox.add(CLOSED);
      throw failure("the server closed the connection (" + closeReason + ")");
    }
    if (item instanceof ConvergeException e) {
      throw e;
    }
    if (item == CLOSED) {
      throw failure("the server closed the connection");
    }
    return (RepoMessage) item;
  }

  private static ConvergeException failure(String message) {
    return new ConvergeException(ConvergeException.Kind.IO, message);
  }

  @Override
  public void close() {
    connection.close("sync done");
  }

  private record ClosedBy(String reason) {}

  /**
   * The first message along {@code error}'s causes: the JDK's WebSocket client fails a refused
   * connection with a {@code ConnectException} that has none, its cause saying why.
   */
  private static String reason(Throwable error) {
    for (Throwable at = error; at != null; at = at.getCause()) {
      String message = at.getMessage();
      if (message != null && !message.isBlank()) {
        return message;
      }
    }
    return "the connection failed";
  }
}
