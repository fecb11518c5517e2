package dev.converge.net.protocol;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.spi.Acceptor;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.repo.DocumentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A client as a JavaScript Repo behaves, made of the core sync protocol and plain documents: joins,
 * then answers every sync message with the next one until neither side has more.
 */
public final class TestClient implements ConnectionHandler {
  private static final MessageCodec CODEC = new MessageCodec();

  public final String peerId;
  final BlockingQueue<RepoMessage> received = new LinkedBlockingQueue<>();
  final CountDownLatch closed = new CountDownLatch(1);
  private final Map<DocumentId, Document> docs = new HashMap<>();
  private final Map<DocumentId, SyncState> states = new HashMap<>();
  private final List<RepoMessage> log = new ArrayList<>();
  private String serverId = "";
  private Connection connection;

  private TestClient(String peerId) {
    this.peerId = peerId;
    this.connection = NO_CONNECTION;
  }

  public static TestClient connect(Acceptor server, String peerId) {
    TestClient client = new TestClient(peerId);
    client.connection = InMemoryNetwork.connect(server, peerId, client);
    return client;
  }

  /**
   * A client whose frames wait for the server's handler up to {@code serverInboxBytesMax} bytes
   * (see {@link InMemoryNetwork#connect(Acceptor, String, Optional, ConnectionHandler, long)}).
   */
  public static TestClient connectBounded(
      Acceptor server, String peerId, long serverInboxBytesMax) {
    TestClient client = new TestClient(peerId);
    client.connection =
        InMemoryNetwork.connect(server, peerId, Optional.empty(), client, serverInboxBytesMax);
    return client;
  }

  /** A client the server sees as authenticated as {@code principal}. */
  public static TestClient connectAs(Acceptor server, String peerId, String principal) {
    TestClient client = new TestClient(peerId);
    client.connection =
        InMemoryNetwork.connect(server, peerId, java.util.Optional.of(principal), client);
    return client;
  }

  public void join() {
    join(PeerMetadata.ephemeral());
  }

  public void join(PeerMetadata metadata) {
    send(new RepoMessage.Join(peerId, metadata, List.of("1")));
    RepoMessage.Peer peer = (RepoMessage.Peer) next(m -> m instanceof RepoMessage.Peer);
    synchronized (this) {
      serverId = peer.senderId();
    }
  }

  public void sendRaw(byte[] frame) {
    connection.send(frame);
  }

  public void send(RepoMessage message) {
    connection.send(CODEC.encode(message));
  }

  /** Starts syncing {@code doc} as {@code id}: a request if it is empty, else a sync. */
  public synchronized void share(DocumentId id, Document doc) {
    docs.put(id, doc);
    SyncState state = new SyncState();
    states.put(id, state);
    Optional<byte[]> first = Sync.generateMessage(doc, state);
    if (first.isEmpty()) {
      throw new AssertionError("a fresh state always has something to send");
    }
    Bytes data = Bytes.of(first.get());
    send(
        doc.heads().isEmpty()
            ? new RepoMessage.Request(peerId, serverId, id, data)
            : new RepoMessage.Sync(peerId, serverId, id, data));
  }

  /** After a local change: offers it to the server. */
  public synchronized void changed(DocumentId id) {
    Sync.generateMessage(doc(id), state(id))
        .ifPresent(bytes -> send(new RepoMessage.Sync(peerId, serverId, id, Bytes.of(bytes))));
  }

  public synchronized Document doc(DocumentId id) {
    return Objects.requireNonNull(docs.get(id), "no document " + id);
  }

  private SyncState state(DocumentId id) {
    return Objects.requireNonNull(states.get(id), "no sync state for " + id);
  }

  public synchronized List<ChangeHash> heads(DocumentId id) {
    return doc(id).heads();
  }

  @Override
  public void onFrame(byte[] frame) {
    RepoMessage message = CODEC.decode(frame);
    synchronized (this) {
      log.add(message);
      if (message instanceof RepoMessage.Sync sync && docs.containsKey(sync.documentId())) {
        Document doc = docs.get(sync.documentId());
        SyncState state = state(sync.documentId());
        Sync.receiveMessage(doc, state, sync.data().toArray());
        Sync.generateMessage(doc, state)
            .ifPresent(
                bytes ->
                    send(
                        new RepoMessage.Sync(
                            peerId, serverId, sync.documentId(), Bytes.of(bytes))));
      }
    }
    received.add(message);
  }

  @Override
  public void onClose(String reason) {
    closed.countDown();
  }

  /** The next received message that matches, skipping others; fails after 10 s. */
  public RepoMessage next(Predicate<RepoMessage> wanted) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (true) {
        RepoMessage message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (message == null) {
          throw new AssertionError(peerId + ": no matching message within 10 s; log " + log());
        }
        if (wanted.test(message)) {
          return message;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public synchronized List<RepoMessage> log() {
    return List.copyOf(log);
  }

  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void close() {
    connection.close("test done");
  }

  public static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static final Connection NO_CONNECTION =
      new Connection() {
        @Override
        public void send(byte[] frame) {
          throw new IllegalStateException("not connected");
        }

        @Override
        public void close(String reason) {}

        @Override
        public String description() {
          return "none";
        }
      };
}
