package dev.converge.net.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.DocumentStore;
import dev.converge.net.server.NetworkObserver;
import dev.converge.net.server.SyncServer;
import dev.converge.net.server.SyncServerOptions;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote-heads gossip through a {@link SyncServer} on the in-memory transport, with clients that
 * speak the protocol as a JavaScript Repo with {@code enableRemoteHeadsGossiping} does. The gossip
 * clock is a counter the test moves, so timestamps are known; heads are compared in their wire form
 * (base58check, as automerge-repo's {@code encodeHeads} writes them).
 */
class RemoteHeadsGossipTest {
  private static final String SERVER_STORAGE = "storage-server";

  private Repo repo;
  private SyncServer server;
  private final AtomicLong clockMillis = new AtomicLong(1_000);
  private final SplittableRandom random = new SplittableRandom(61);
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    repo = Repo.inMemory();
    server =
        new SyncServer(
            DocumentStore.of(repo),
            SyncServerOptions.of("server", SERVER_STORAGE),
            NetworkObserver.NONE,
            System::nanoTime,
            new InstantSource() {
              @Override
              public Instant instant() {
                return Instant.ofEpochMilli(clockMillis.get());
              }
            });
  }

  @AfterEach
  void stop() {
    clients.forEach(TestClient::close);
    server.close();
    repo.close();
  }

  private TestClient join(String name, PeerMetadata metadata) {
    TestClient client = TestClient.connect(server, name);
    clients.add(client);
    client.join(metadata);
    return client;
  }

  private DocumentId newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return DocumentId.of(bytes);
  }

  private static void subscribe(TestClient client, String... storageIds) {
    client.send(
        new RemoteSubscriptionChange(client.peerId, "server", List.of(storageIds), List.of()));
  }

  private static Predicate<RepoMessage> headsAt(DocumentId id, String storage, List<String> heads) {
    return message ->
        message instanceof RemoteHeadsChanged changed
            && changed.documentId().equals(id)
            && changed.newHeads().containsKey(storage)
            && changed.newHeads().get(storage).heads().equals(heads);
  }

  private static long stamp(RemoteHeadsChanged changed, String storage) {
    RemoteHeads heads = changed.newHeads().get(storage);
    return heads == null ? -1 : heads.timestamp();
  }

  private static List<String> wire(DocumentId id, List<ChangeHash> heads) {
    return UrlHeads.encode(id, heads);
  }

  @Test
  void subscriber_hearsServerHeadsAndDirectPeerHeads_ofDocumentsItSyncs() {
    DocumentId id = newId();
    TestClient writer = join("writer", PeerMetadata.stored("storage-writer"));
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "n", 1L));
    writer.share(id, doc);
    TestClient.await(
        () -> repo.find(id).map(h -> h.heads().equals(doc.heads())).orElse(false),
        "the server has the writer's change");

    TestClient watcher = join("watcher", PeerMetadata.ephemeral());
    subscribe(watcher, SERVER_STORAGE, "storage-writer");
    watcher.share(id, Document.create());
    // On opening the document: what it subscribed to, the writer's heads and ours (equal here).
    watcher.next(headsAt(id, "storage-writer", wire(id, doc.heads())));
    TestClient.await(() -> watcher.heads(id).equals(doc.heads()), "the watcher synced");

    clockMillis.addAndGet(10);
    writer.doc(id).change(tx -> tx.put(ObjId.ROOT, "n", 2L));
    writer.changed(id);
    List<String> after = wire(id, writer.heads(id));
    RemoteHeadsChanged ours = (RemoteHeadsChanged) watcher.next(headsAt(id, SERVER_STORAGE, after));
    RemoteHeadsChanged theirs =
        (RemoteHeadsChanged) watcher.next(headsAt(id, "storage-writer", after));
    assertEquals("watcher", ours.targetId());
    assertEquals("server", ours.senderId());
    assertTrue(stamp(ours, SERVER_STORAGE) >= 1_010);
    assertTrue(stamp(theirs, "storage-writer") >= 1_010);
  }

  @Test
  void subscribingLater_sendsTheHeadsKnownOfEveryDocumentThePeerSyncs() {
    DocumentId id = newId();
    TestClient writer = join("writer", PeerMetadata.stored("storage-writer"));
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "n", 1L));
    writer.share(id, doc);
    TestClient watcher = join("watcher", PeerMetadata.ephemeral());
    watcher.share(id, Document.create());
    TestClient.await(() -> watcher.heads(id).equals(doc.heads()), "the watcher synced");

    subscribe(watcher, "storage-writer", SERVER_STORAGE);
    watcher.next(headsAt(id, "storage-writer", wire(id, doc.heads())));
    watcher.next(headsAt(id, SERVER_STORAGE, wire(id, doc.heads())));
  }

  @Test
  void relayedHeads_passedOnIfNewer_onlyToSubscribersSyncingTheDocument() {
    DocumentId id = newId();
    TestClient relay = join("relay", PeerMetadata.ephemeral());
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "n", 1L));
    relay.share(id, doc);
    TestClient watcher = join("watcher", PeerMetadata.ephemeral());
    subscribe(watcher, "storage-far");
    watcher.share(id, Document.create());
    TestClient.await(() -> watcher.heads(id).equals(doc.heads()), "the watcher synced");

    List<String> farHeads = wire(id, doc.heads());
    relay.send(
        new RemoteHeadsChanged(
            "relay", "server", id, Map.of("storage-far", new RemoteHeads(farHeads, 500))));
    RemoteHeadsChanged passed =
        (RemoteHeadsChanged) watcher.next(headsAt(id, "storage-far", farHeads));
    assertEquals(new RemoteHeads(farHeads, 500), passed.newHeads().get("storage-far"));

    // Older news is dropped; newer news is passed on (the next message the watcher hears about
    // storage-far is the newer one, not the stale one sent before it).
    relay.send(
        new RemoteHeadsChanged(
            "relay", "server", id, Map.of("storage-far", new RemoteHeads(List.of(), 400))));
    relay.send(
        new RemoteHeadsChanged(
            "relay", "server", id, Map.of("storage-far", new RemoteHeads(List.of(), 600))));
    RemoteHeadsChanged newer =
        (RemoteHeadsChanged)
            watcher.next(
                m -> m instanceof RemoteHeadsChanged c && c.newHeads().containsKey("storage-far"));
    assertEquals(new RemoteHeads(List.of(), 600), newer.newHeads().get("storage-far"));

    // About a document the relay does not sync with us: ignored. The relay's next request is
    // answered only after the server handled the message, and a subscriber that does sync that
    // document then hears our heads of it but nothing of storage-far.
    DocumentId other = newId();
    relay.send(
        new RemoteHeadsChanged(
            "relay", "server", other, Map.of("storage-far", new RemoteHeads(farHeads, 900))));
    DocumentId unknown = newId();
    relay.share(unknown, Document.create());
    relay.next(m -> m instanceof RepoMessage.DocUnavailable u && u.documentId().equals(unknown));
    TestClient owner = join("owner", PeerMetadata.ephemeral());
    Document otherDoc = Document.create();
    otherDoc.change(tx -> tx.put(ObjId.ROOT, "n", 3L));
    owner.share(other, otherDoc);
    TestClient.await(
        () -> repo.find(other).map(h -> h.heads().equals(otherDoc.heads())).orElse(false),
        "the server has the owner's document");
    subscribe(owner, "storage-far", SERVER_STORAGE);
    owner.next(headsAt(other, SERVER_STORAGE, wire(other, otherDoc.heads())));
    assertTrue(
        owner.log().stream()
            .noneMatch(
                m -> m instanceof RemoteHeadsChanged c && c.newHeads().containsKey("storage-far")),
        "nothing was said of storage-far: " + owner.log());
  }

  @Test
  void tooManySubscriptions_closesTheConnectionWithAnError() throws InterruptedException {
    TestClient greedy = join("greedy", PeerMetadata.ephemeral());
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1025; i++) {
      many.add("storage-" + i);
    }
    greedy.send(new RemoteSubscriptionChange("greedy", "server", many, List.of()));
    ProtocolError error = (ProtocolError) greedy.next(m -> m instanceof ProtocolError);
    assertTrue(error.message().contains("remote-heads subscriptions"), error.message());
    assertTrue(greedy.awaitClosed(Duration.ofSeconds(5)));
  }
}
