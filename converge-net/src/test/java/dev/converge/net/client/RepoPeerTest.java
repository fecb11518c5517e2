package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.SyncServer;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.memory.InMemoryStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Java repos syncing through a {@link SyncServer} over the in-memory network, each through a {@link
 * RepoPeer}. Waits poll for the expected state with a 10 s bound (no timing is asserted); a network
 * that goes offline is a {@link Dialer} that closes its connections and refuses to dial.
 */
class RepoPeerTest {
  private final RepoPeerFixture fixture = new RepoPeerFixture(66);

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  /** A dialer whose network can be cut and restored. */
  private static final class Switchable implements Dialer {
    final Dialer inner;
    final List<Connection> opened = new CopyOnWriteArrayList<>();
    volatile boolean online = true;
    final java.util.concurrent.atomic.AtomicInteger dials =
        new java.util.concurrent.atomic.AtomicInteger();

    Switchable(Dialer inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<Connection> dial(ConnectionHandler handler) {
      dials.incrementAndGet();
      if (!online) {
        return CompletableFuture.failedFuture(new IOException("offline"));
      }
      return inner
          .dial(handler)
          .thenApply(
              connection -> {
                opened.add(connection);
                return connection;
              });
    }

    void goOffline() {
      online = false;
      for (Connection connection : opened) {
        connection.close("network cut");
      }
    }

    @Override
    public String description() {
      return inner.description();
    }
  }

  private RepoPeer connectedPeer(String name, SharePolicy policy) {
    return connectedPeer(name, Repo.inMemory(), policy);
  }

  private RepoPeer connectedPeer(String name, Repo repo, SharePolicy policy) {
    RepoPeer peer =
        fixture.peer(
            repo,
            RepoPeerOptions.of(name, fixture.random.split())
                .withSharePolicy(policy)
                .withBackoff(RepoPeerFixture.FAST));
    peer.connect(InMemoryNetwork.dialer(fixture.server, name));
    TestClient.await(() -> peer.connectedPeers().equals(List.of("server")), name + " connects");
    return peer;
  }

  private static DocHandle get(CompletableFuture<DocHandle> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static void awaitSame(DocHandle a, DocHandle b) {
    TestClient.await(
        () -> a.heads().equals(b.heads()) && a.toJson().equals(b.toJson()),
        "both copies have the same heads; " + a.toJson() + " vs " + b.toJson());
  }

  @Test
  void create_thenOtherPeerFindsById_sameHeadsAndContent_andChangesFlowBothWays() throws Exception {
    RepoPeer alice = connectedPeer("alice", SharePolicy.ALWAYS);
    RepoPeer bob = connectedPeer("bob", SharePolicy.ALWAYS);
    DocHandle mine = alice.create();
    mine.change(tx -> tx.put(ObjId.ROOT, "title", "from alice"));
    fixture.awaitOnServer(mine);

    DocHandle theirs = get(bob.find(mine.id()));
    awaitSame(mine, theirs);
    assertTrue(theirs.toJson().contains("from alice"), theirs.toJson());

    theirs.change(tx -> tx.put(ObjId.ROOT, "reply", "from bob"));
    awaitSame(mine, theirs);
    assertTrue(mine.toJson().contains("from bob"), mine.toJson());
    assertEquals(mine.heads(), fixture.serverRepo.find(mine.id()).orElseThrow().heads());
  }

  /**
   * A document created empty and announced at once (before the handshake) cannot be stored by the
   * server; finding it fails, again and again, without leaving an empty copy that a later find
   * would mistake for the document (a bug the load benchmark found: a later find returned the empty
   * placeholder, which then never caught up); once it has a change, it is found and every later
   * change flows both ways.
   */
  @Test
  void emptyDocument_findsFailUntilItsFirstChange_thenEveryChangeFlows() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    alice.connect(InMemoryNetwork.dialer(fixture.server, "alice"));
    DocHandle mine = alice.create();
    RepoPeer bob = connectedPeer("bob", SharePolicy.ALWAYS);
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice connects");
    for (int attempt = 0; attempt < 8; attempt++) {
      ExecutionException early =
          assertThrows(ExecutionException.class, () -> get(bob.find(mine.id())));
      assertInstanceOf(DocumentUnavailableException.class, early.getCause());
    }
    for (int i = 0; i < 5; i++) {
      int n = i;
      mine.change(tx -> tx.put(ObjId.ROOT, "a" + n, n));
    }
    fixture.awaitOnServer(mine);
    DocHandle theirs = get(bob.find(mine.id()));
    for (int i = 0; i < 20; i++) {
      int n = i;
      mine.change(tx -> tx.put(ObjId.ROOT, "later" + n, n));
      theirs.change(tx -> tx.put(ObjId.ROOT, "bob" + n, n));
    }
    awaitSame(mine, theirs);
    assertTrue(
        theirs.toJson().contains("\"later19\":19") && mine.toJson().contains("\"bob19\":19"));
  }

  @Test
  void emptySharedDocument_getsContentAnotherPeerUploadsLater() throws Exception {
    Repo bobRepo = Repo.inMemory();
    RepoPeer bob = connectedPeer("bob", bobRepo, SharePolicy.ALWAYS);
    byte[] bytes = new byte[16];
    fixture.random.nextBytes(bytes);
    DocumentId id = DocumentId.of(bytes);
    DocHandle empty = bobRepo.findOrCreate(id);
    bob.share(empty); // announced empty: the server has nothing, and keeps bob waiting
    Repo aliceRepo = Repo.inMemory();
    RepoPeer alice = connectedPeer("alice", aliceRepo, SharePolicy.ALWAYS);
    DocHandle full = aliceRepo.findOrCreate(id);
    full.change(tx -> tx.put(ObjId.ROOT, "k", "from alice"));
    alice.share(full);
    awaitSame(full, empty);
  }

  @Test
  void offlineEdits_reconnect_bothSidesCatchUp() throws Exception {
    Switchable network = new Switchable(InMemoryNetwork.dialer(fixture.server, "alice"));
    RepoPeer alice = fixture.peer("alice");
    alice.connect(network);
    RepoPeer bob = connectedPeer("bob", SharePolicy.ALWAYS);
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice connects");
    DocHandle mine = alice.create();
    mine.change(tx -> tx.put(ObjId.ROOT, "start", 1));
    fixture.awaitOnServer(mine);
    DocHandle theirs = get(bob.find(mine.id()));
    awaitSame(mine, theirs);

    network.goOffline();
    TestClient.await(() -> alice.connectedPeers().isEmpty(), "alice notices the cut");
    int dialsWhenCut = network.dials.get();
    for (int i = 0; i < 5; i++) {
      int n = i;
      mine.change(tx -> tx.put(ObjId.ROOT, "offline" + n, n));
    }
    theirs.change(tx -> tx.put(ObjId.ROOT, "meanwhile", "bob"));
    TestClient.await(() -> network.dials.get() > dialsWhenCut + 2, "alice keeps dialing");
    assertFalse(theirs.toJson().contains("offline4"), "nothing crossed the cut network");

    network.online = true;
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice reconnects");
    awaitSame(mine, theirs);
    assertTrue(theirs.toJson().contains("\"offline4\":4"), theirs.toJson());
    assertTrue(mine.toJson().contains("\"meanwhile\":\"bob\""), mine.toJson());
  }

  @Test
  void find_documentNobodyHas_failsUnavailable_andGetsNoContent() throws Exception {
    Repo bobRepo = Repo.inMemory();
    RepoPeer bob = connectedPeer("bob", bobRepo, SharePolicy.ALWAYS);
    byte[] bytes = new byte[16];
    fixture.random.nextBytes(bytes);
    DocumentId missing = DocumentId.of(bytes);
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> get(bob.find(missing)));
    DocumentUnavailableException unavailable =
        assertInstanceOf(DocumentUnavailableException.class, failure.getCause());
    assertEquals(missing, unavailable.documentId());
    assertTrue(bobRepo.find(missing).map(h -> h.heads().isEmpty()).orElse(true), "no content");
  }

  @Test
  void find_beforeAnyPeerConnects_waitsForThePeer() throws Exception {
    RepoPeer alice = connectedPeer("alice", SharePolicy.ALWAYS);
    DocHandle mine = alice.create();
    mine.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
    TestClient.await(() -> fixture.serverRepo.find(mine.id()).isPresent(), "the server has it");

    RepoPeer bob = fixture.peer("bob");
    CompletableFuture<DocHandle> found = bob.find(mine.id());
    assertFalse(found.isDone(), "no peer to ask yet");
    bob.connect(InMemoryNetwork.dialer(fixture.server, "bob"));
    awaitSame(mine, get(found));
  }

  @Test
  void sharePolicyNever_withholdsDocumentsFromThePeer_alwaysAnnouncesThem() throws Exception {
    RepoPeer secretive = connectedPeer("secretive", (peerId, documentId) -> false);
    DocHandle hidden = secretive.create();
    hidden.change(tx -> tx.put(ObjId.ROOT, "secret", "yes"));
    // Frames on one connection arrive in order: once a document announced after the hidden one
    // reached the server, the hidden one would have reached it too, had it been announced.
    RepoPeer open = connectedPeer("open", SharePolicy.ALWAYS);
    DocHandle shown = open.create();
    shown.change(tx -> tx.put(ObjId.ROOT, "public", "yes"));
    TestClient.await(
        () -> fixture.serverRepo.find(shown.id()).isPresent(), "the shown one is stored");
    assertTrue(fixture.serverRepo.find(hidden.id()).isEmpty(), "the hidden one was never sent");
  }

  @Test
  void peerWithoutAccess_getsDocUnavailable_neverTheContent_andCannotWrite() throws Exception {
    SharePolicy nobody =
        new SharePolicy() {
          @Override
          public boolean announce(String peerId, DocumentId documentId) {
            return false;
          }

          @Override
          public boolean access(String peerId, DocumentId documentId) {
            return false;
          }
        };
    Repo repo = Repo.inMemory();
    RepoPeer guarded =
        fixture.peer(
            repo, RepoPeerOptions.of("guarded", fixture.random.split()).withSharePolicy(nobody));
    DocHandle secret = guarded.create();
    secret.change(tx -> tx.put(ObjId.ROOT, "secret", "do not tell"));
    String before = secret.toJson();
    HandServer hand = new HandServer("hand");
    guarded.connect(InMemoryNetwork.dialer(hand, "guarded"));
    hand.next(RepoMessage.Join.class);
    TestClient.await(() -> guarded.connectedPeers().equals(List.of("hand")), "handshake");

    dev.converge.core.Document intruder = dev.converge.core.Document.create();
    intruder.change(tx -> tx.put(ObjId.ROOT, "secret", "overwritten"));
    byte[] push =
        dev.converge.core.sync.Sync.generateMessage(
                intruder, new dev.converge.core.sync.SyncState())
            .orElseThrow();
    hand.send(new RepoMessage.Sync("hand", "guarded", secret.id(), Bytes.of(push)));
    assertEquals(secret.id(), hand.next(RepoMessage.DocUnavailable.class).documentId());
    hand.send(
        new RepoMessage.Request(
            "hand", "guarded", secret.id(), Bytes.fromHex("42000001000000020284")));
    assertEquals(secret.id(), hand.next(RepoMessage.DocUnavailable.class).documentId());
    assertEquals(before, secret.toJson(), "the pushed change was not applied");
    for (RepoMessage message : hand.received) {
      assertFalse(message instanceof RepoMessage.Sync, "no sync message ever left: " + message);
    }
  }

  @Test
  void backoff_growsWithJitter_andStaysUnderTheCap() {
    ReconnectBackoff backoff =
        new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);
    SplittableRandom jitter = new SplittableRandom(1);
    for (int failures = 1; failures <= 40; failures++) {
      long ceiling = Math.min(2000, 100L << Math.min(failures - 1, 20));
      long delay = backoff.delayMillis(failures, jitter);
      assertTrue(delay >= ceiling / 2 && delay <= ceiling, failures + ": " + delay);
    }
    assertThrows(IllegalArgumentException.class, () -> backoff.delayMillis(0, jitter));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0));
  }

  @Test
  void documentCreatedInTheRepoByOtherCode_isSyncedWithThePeers() {
    Repo aliceRepo = Repo.inMemory();
    RepoPeer alice = connectedPeer("alice", aliceRepo, SharePolicy.ALWAYS);
    DocHandle elsewhere = aliceRepo.create(); // not through the peer
    elsewhere.change(tx -> tx.put(ObjId.ROOT, "k", "made beside the peer"));
    fixture.awaitOnServer(elsewhere);
    assertTrue(alice.connectedPeers().contains("server"));
  }

  @Test
  void documentLoadedByOtherCode_isSyncedWithThePeers() throws Exception {
    RepoPeerFixture.StoredDocument stored = fixture.storedDocument("stored before the peer ran");
    RepoPeer alice = fixture.peer("alice", stored.repo());
    alice.connect(InMemoryNetwork.dialer(fixture.server, "alice"));
    DocHandle loaded =
        stored.repo().find(stored.id()).orElseThrow(); // a first load, not by the peer
    fixture.awaitOnServer(loaded);
  }

  /**
   * Issue 6: an append that failed broke the handle, every later sync message for its document
   * threw CLOSED, and the peer closed the connection with an error, dialed again, and did the same
   * at once: a reconnect loop that also stopped every other document. Now the document is loaded
   * again from the log and its sync starts over, with one new connection (the server's sync state
   * still counted the lost change as alice's), and stays up.
   */
  @Test
  void brokenHandle_isLoadedAgainFromTheLog_oneReconnectNotALoop() throws Exception {
    FlakyStorage storage = new FlakyStorage(new InMemoryStorage());
    Repo aliceRepo = Repo.open(storage, RepoOptions.defaults());
    RepoPeer alice = fixture.peer("alice", aliceRepo);
    Switchable network = new Switchable(InMemoryNetwork.dialer(fixture.server, "alice"));
    alice.connect(network);
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice connects");
    RepoPeer bob = connectedPeer("bob", SharePolicy.ALWAYS);
    DocHandle mine = alice.create();
    mine.change(tx -> tx.put(ObjId.ROOT, "n", 1));
    fixture.awaitOnServer(mine);
    DocHandle theirs = get(bob.find(mine.id()));

    storage.failAppends = true;
    theirs.change(tx -> tx.put(ObjId.ROOT, "n", 2)); // reaches alice, who cannot store it
    TestClient.await(() -> storage.failedAppends.get() > 0, "alice's append fails");
    storage.failAppends = false;
    theirs.change(tx -> tx.put(ObjId.ROOT, "n", 3)); // finds alice's handle broken

    TestClient.await(
        () -> aliceRepo.find(mine.id()).orElseThrow().heads().equals(theirs.heads()),
        "alice's document, loaded again, catches up");
    DocHandle reloaded = aliceRepo.find(mine.id()).orElseThrow();
    assertTrue(reloaded.toJson().contains("\"n\":3"), reloaded.toJson());
    theirs.change(tx -> tx.put(ObjId.ROOT, "n", 4));
    TestClient.await(() -> reloaded.heads().equals(theirs.heads()), "later changes arrive");
    assertEquals(2, network.dials.get(), "alice dialed again once");
  }
}
