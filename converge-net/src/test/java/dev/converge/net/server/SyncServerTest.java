package dev.converge.net.server;

import static dev.converge.net.server.ServerTestDocuments.docWith;
import static dev.converge.net.server.ServerTestDocuments.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.CodecLimits;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.RepoMessage.Peer;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.TestClient;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.memory.InMemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncServerTest {
  private Repo repo;
  private DocumentStore store;
  private SyncServer server;
  private final AtomicInteger errors = new AtomicInteger();
  private final SplittableRandom random = new SplittableRandom(6);

  @BeforeEach
  void start() {
    InMemoryStorage storage = new InMemoryStorage();
    repo = Repo.open(storage, RepoOptions.defaults());
    store = DocumentStore.of(repo);
    server =
        new SyncServer(
            store,
            SyncServerOptions.of("converge-test-server", "storage-1")
                .withCodecLimits(CodecLimits.DEFAULT.withFrameBytesMax(1 << 16)),
            new NetworkObserver() {
              @Override
              public void protocolError(String kind) {
                errors.incrementAndGet();
              }
            });
  }

  @AfterEach
  void stop() {
    server.close();
    repo.close();
  }

  @Test
  void join_answeredWithPeer() {
    TestClient client = TestClient.connect(server, "client-a");
    client.send(new RepoMessage.Join("client-a", PeerMetadata.ephemeral(), List.of("1")));
    Peer peer = (Peer) client.next(m -> true);
    assertEquals(
        new Peer("converge-test-server", "client-a", PeerMetadata.stored("storage-1"), "1"), peer);
  }

  @Test
  void join_unsupportedVersion_errorAndClose() throws InterruptedException {
    TestClient client = TestClient.connect(server, "client-a");
    client.send(new RepoMessage.Join("client-a", PeerMetadata.ephemeral(), List.of("2")));
    ProtocolError error = (ProtocolError) client.next(m -> true);
    assertEquals("unsupported protocol version", error.message());
    assertTrue(client.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void sync_oneClientCreates_anotherRequestsById_sameHeadsAndContent() {
    DocumentId id = newId(random);
    TestClient a = TestClient.connect(server, "client-a");
    a.join();
    Document created = docWith("title", "hello");
    created.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    a.share(id, created);
    TestClient.await(() -> store.find(id).isPresent(), "the server stores the document");
    DocHandle stored = store.find(id).orElseThrow();
    TestClient.await(() -> stored.heads().equals(created.heads()), "the server has A's heads");

    TestClient b = TestClient.connect(server, "client-b");
    b.join();
    b.share(id, Document.create());
    TestClient.await(() -> b.heads(id).equals(created.heads()), "B has A's heads");
    assertEquals(created.toJson(), b.doc(id).toJson());
  }

  @Test
  void sync_concurrentEditsFromTwoClients_converge() {
    DocumentId id = newId(random);
    Document docA = docWith("title", "start");
    ServerTestDocuments.Pair pair = ServerTestDocuments.syncedPair(server, store, id, docA);
    TestClient a = pair.a();
    TestClient b = pair.b();

    Document docB = b.doc(id);
    for (int i = 0; i < 20; i++) {
      int n = i;
      docA.change(tx -> tx.put(ObjId.ROOT, "a" + n, (long) n));
      a.changed(id);
      docB.change(tx -> tx.put(ObjId.ROOT, "b" + n, (long) n));
      b.changed(id);
    }
    docA.change(tx -> tx.put(ObjId.ROOT, "title", "from a"));
    docB.change(tx -> tx.put(ObjId.ROOT, "title", "from b"));
    a.changed(id);
    b.changed(id);
    TestClient.await(
        () -> a.heads(id).equals(b.heads(id)) && a.heads(id).size() == 2, "A and B converge");
    assertEquals(a.doc(id).toJson(), b.doc(id).toJson());
    DocHandle stored = store.find(id).orElseThrow();
    TestClient.await(() -> stored.heads().equals(a.heads(id)), "the server has both");
    assertEquals(a.doc(id).toJson(), stored.toJson());
  }

  @Test
  void request_unknownDocument_docUnavailable() {
    DocumentId id = newId(random);
    TestClient c = TestClient.connect(server, "client-c");
    c.join();
    c.share(id, Document.create());
    DocUnavailable unavailable = (DocUnavailable) c.next(m -> m instanceof DocUnavailable);
    assertEquals(new DocUnavailable("converge-test-server", "client-c", id), unavailable);
    assertTrue(store.find(id).isEmpty(), "nothing stored");
  }

  @Test
  void request_thenAnotherClientUploads_waitingClientGetsIt() {
    DocumentId id = newId(random);
    TestClient c = TestClient.connect(server, "client-c");
    c.join();
    c.share(id, Document.create());
    c.next(m -> m instanceof DocUnavailable);
    TestClient a = TestClient.connect(server, "client-a");
    a.join();
    Document created = docWith("late", "yes");
    a.share(id, created);
    TestClient.await(() -> c.heads(id).equals(created.heads()), "the waiting client gets it");
  }

  @Test
  void ephemeral_relayedToOtherPeersOfTheDocument_unchangedButTarget() {
    DocumentId id = newId(random);
    Document doc = docWith("k", "v");
    ServerTestDocuments.Pair pair = ServerTestDocuments.syncedPair(server, store, id, doc);
    TestClient a = pair.a();
    TestClient b = pair.b();

    Bytes presence = Bytes.fromHex("a1646e616d6565616c696365"); // {"name": "alice"}
    a.send(new Ephemeral("client-a", "converge-test-server", id, presence, 1, "s1"));
    a.send(new Ephemeral("client-a", "converge-test-server", id, presence, 1, "s1")); // duplicate
    a.send(new Ephemeral("client-a", "converge-test-server", id, presence, 2, "s1"));
    Ephemeral first = (Ephemeral) b.next(m -> m instanceof Ephemeral);
    assertEquals(new Ephemeral("client-a", "client-b", id, presence, 1, "s1"), first);
    Ephemeral second = (Ephemeral) b.next(m -> m instanceof Ephemeral);
    assertEquals(2, second.count());
    assertTrue(store.find(id).orElseThrow().heads().equals(doc.heads()), "never stored");
  }

  @Test
  void malformedFrame_closesThatConnectionOnly_withAnError() throws InterruptedException {
    DocumentId id = newId(random);
    TestClient good = TestClient.connect(server, "good");
    good.join();
    Document doc = docWith("k", "v");
    good.share(id, doc);
    TestClient.await(() -> store.find(id).isPresent(), "stored");
    List<?> headsBefore = store.find(id).orElseThrow().heads();

    TestClient bad = TestClient.connect(server, "bad");
    bad.join();
    bad.sendRaw(new byte[] {(byte) 0xb9, 0x00, 0x05, 0x64, 't', 'y'}); // truncated map
    ProtocolError error = (ProtocolError) bad.next(m -> m instanceof ProtocolError);
    assertTrue(error.message().contains("not valid CBOR"), error.message());
    assertTrue(bad.awaitClosed(Duration.ofSeconds(5)));

    doc.change(tx -> tx.put(ObjId.ROOT, "k", "after"));
    good.changed(id);
    TestClient.await(
        () -> store.find(id).orElseThrow().heads().equals(doc.heads()), "the good client goes on");
    assertTrue(!headsBefore.equals(doc.heads()));
    assertEquals(1, errors.get());
  }

  @Test
  void corruptSyncMessage_closesConnection_documentUnchanged() throws InterruptedException {
    DocumentId id = newId(random);
    TestClient good = TestClient.connect(server, "good");
    good.join();
    Document doc = docWith("k", "v");
    good.share(id, doc);
    TestClient.await(() -> store.find(id).isPresent(), "stored");
    DocHandle stored = store.find(id).orElseThrow();
    TestClient.await(() -> stored.heads().equals(doc.heads()), "synced");
    String before = stored.toJson();

    TestClient bad = TestClient.connect(server, "bad");
    bad.join();
    bad.send(new RepoMessage.Sync("bad", "converge-test-server", id, Bytes.fromHex("43ff00ff")));
    ProtocolError error = (ProtocolError) bad.next(m -> m instanceof ProtocolError);
    assertTrue(!error.message().isEmpty());
    assertTrue(bad.awaitClosed(Duration.ofSeconds(5)));
    assertEquals(before, stored.toJson());
    assertEquals(doc.heads(), stored.heads());
  }

  @Test
  void frameOverLimit_closesConnectionWithError() throws InterruptedException {
    TestClient bad = TestClient.connect(server, "big");
    bad.join();
    byte[] huge = new byte[(1 << 16) + 1];
    bad.sendRaw(huge);
    ProtocolError error = (ProtocolError) bad.next(m -> m instanceof ProtocolError);
    assertTrue(error.message().contains("exceeds the limit"), error.message());
    assertTrue(bad.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void messageBeforeJoin_closesConnection() throws InterruptedException {
    TestClient early = TestClient.connect(server, "early");
    early.send(
        new RepoMessage.Sync("early", "x", newId(random), Bytes.fromHex("42000001000000020284")));
    assertInstanceOf(ProtocolError.class, early.next(m -> true));
    assertTrue(early.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void documentsPerConnectionMax_beyondIsUnavailable() {
    InMemoryStorage storage = new InMemoryStorage();
    try (Repo small = Repo.open(storage, RepoOptions.defaults())) {
      DocumentStore smallStore = DocumentStore.of(small);
      SyncServer limited =
          new SyncServer(
              smallStore,
              SyncServerOptions.of("s", "st").withDocumentsPerConnectionMax(1),
              NetworkObserver.NONE);
      TestClient a = TestClient.connect(limited, "a");
      a.join();
      DocumentId first = newId(random);
      DocumentId second = newId(random);
      a.share(first, docWith("n", "1"));
      a.share(second, docWith("n", "2"));
      DocUnavailable unavailable = (DocUnavailable) a.next(m -> m instanceof DocUnavailable);
      assertEquals(second, unavailable.documentId());
      assertTrue(smallStore.find(second).isEmpty());
      limited.close();
    }
  }
}
