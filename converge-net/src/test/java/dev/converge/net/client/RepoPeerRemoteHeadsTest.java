package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.net.gossip.RemoteHeadsSubscriptions;
import dev.converge.net.gossip.UrlHeads;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.SyncServer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote-heads gossip in a {@link RepoPeer}, as automerge-repo's {@code subscribeToRemotes} and
 * {@code remote-heads} event: against a {@link SyncServer} (the server gossips its own heads to the
 * subscribers of its storage ID) and against a {@link HandServer} that checks what the peer sends
 * and reports stale, unsubscribed and broken heads. In-memory network; waits poll with a 10 s
 * bound, and a check that something did not arrive follows a later message on the same connection.
 */
class RepoPeerRemoteHeadsTest {
  private final RepoPeerFixture fixture = new RepoPeerFixture(8);

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private static List<RemoteHeadsEvent> listen(RepoPeer peer, DocHandle doc) {
    List<RemoteHeadsEvent> heard = new CopyOnWriteArrayList<>();
    peer.addRemoteHeadsListener(doc.id(), heard::add);
    return heard;
  }

  @Test
  void subscribedToTheServersStorage_hearsTheServerStoreEachChange() throws Exception {
    RepoPeer alice = fixture.connectedPeer("alice", Repo.inMemory());
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice connects");
    String serverStorage = alice.storageIdOfPeer("server").orElseThrow();
    assertEquals("storage-server", serverStorage);
    alice.subscribeToRemotes(List.of(serverStorage));
    DocHandle doc = alice.create();
    List<RemoteHeadsEvent> heard = listen(alice, doc);
    doc.change(tx -> tx.put(ObjId.ROOT, "n", 1));
    awaitHeard(heard, doc.heads());
    doc.change(tx -> tx.put(ObjId.ROOT, "n", 2));
    awaitHeard(heard, doc.heads());
    RemoteHeadsEvent last = heard.get(heard.size() - 1);
    assertEquals("storage-server", last.storageId());
    assertEquals(doc.id(), last.documentId());
    assertEquals(fixture.serverRepo.find(doc.id()).orElseThrow().heads(), last.heads());
  }

  private static void awaitHeard(List<RemoteHeadsEvent> heard, List<ChangeHash> heads) {
    TestClient.await(
        () -> !heard.isEmpty() && sorted(heard.get(heard.size() - 1).heads()).equals(sorted(heads)),
        "the server's heads " + heads + " are reported; heard " + heard);
  }

  private static List<ChangeHash> sorted(List<ChangeHash> heads) {
    List<ChangeHash> copy = new ArrayList<>(heads);
    Collections.sort(copy, (a, b) -> a.toHex().compareTo(b.toHex()));
    return copy;
  }

  @Test
  void subscriptions_goToThePeerOnJoinAndOnChange_andOnlyNewsOfThemIsHeard() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "n", 1));
    List<RemoteHeadsEvent> heard = listen(alice, doc);
    alice.subscribeToRemotes(List.of("s1"));
    HandServer hand = new HandServer("hand");
    alice.connect(InMemoryNetwork.dialer(hand, "alice"));
    assertEquals(List.of("s1"), hand.next(RemoteSubscriptionChange.class).add());
    alice.subscribeToRemotes(List.of("s1", "s2"));
    RemoteSubscriptionChange second = hand.next(RemoteSubscriptionChange.class);
    assertEquals(List.of("s2"), second.add());
    assertEquals(List.of(), second.remove());

    List<String> heads = UrlHeads.encode(doc.id(), doc.heads());
    hand.send(
        report(doc, Map.of("s1", new RemoteHeads(heads, 100), "s3", new RemoteHeads(heads, 100))));
    hand.send(report(doc, Map.of("s1", new RemoteHeads(heads, 100)))); // the same again
    hand.send(report(doc, Map.of("s1", new RemoteHeads(List.of(), 50)))); // older
    hand.send(report(doc, Map.of("s2", new RemoteHeads(heads, 60))));
    hand.send(report(doc, Map.of("s1", new RemoteHeads(List.of(), 200))));
    TestClient.await(() -> heard.size() == 3, "three reports are news");
    assertEquals(
        List.of(
            new RemoteHeadsEvent(doc.id(), "s1", doc.heads(), 100),
            new RemoteHeadsEvent(doc.id(), "s2", doc.heads(), 60),
            new RemoteHeadsEvent(doc.id(), "s1", List.of(), 200)),
        heard);

    alice.unsubscribeFromRemotes(List.of("s1", "never"));
    RemoteSubscriptionChange third = hand.next(RemoteSubscriptionChange.class);
    assertEquals(List.of(), third.add());
    assertEquals(List.of("s1"), third.remove());
    hand.send(report(doc, Map.of("s1", new RemoteHeads(heads, 300))));
    hand.send(report(doc, Map.of("s2", new RemoteHeads(List.of(), 300))));
    TestClient.await(() -> heard.size() == 4, "the s2 report arrives");
    assertEquals("s2", heard.get(3).storageId(), "nothing more of s1");
  }

  @Test
  void subscriptions_areSentAgainAfterAReconnect() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    alice.subscribeToRemotes(List.of("s1"));
    HandServer hand = new HandServer("hand");
    alice.connect(InMemoryNetwork.dialer(hand, "alice"));
    hand.next(RemoteSubscriptionChange.class);
    hand.close();
    hand.next(RepoMessage.Join.class); // alice dials again
    assertEquals(List.of("s1"), hand.next(RemoteSubscriptionChange.class).add());
  }

  @Test
  void reportWithAHeadThatIsNotAChangeHash_closesTheConnectionWithAnError() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    List<RemoteHeadsEvent> heard = listen(alice, doc);
    alice.subscribeToRemotes(List.of("s1"));
    HandServer hand = new HandServer("hand");
    alice.connect(InMemoryNetwork.dialer(hand, "alice"));
    hand.next(RemoteSubscriptionChange.class);
    String valid = UrlHeads.encode(doc.id(), List.of(ChangeHash.of(new byte[32]))).get(0);
    hand.send(report(doc, Map.of("s1", new RemoteHeads(List.of(valid + "|" + valid), 1))));
    hand.next(RepoMessage.ProtocolError.class);
    assertEquals(List.of(), heard);
  }

  @Test
  void subscribeToRemotes_beyondTheLimit_isRefusedWhole() {
    RepoPeer alice = fixture.peer("alice");
    List<String> many =
        IntStream.range(0, RemoteHeadsSubscriptions.SUBSCRIPTIONS_MAX + 1)
            .mapToObj(i -> "s" + i)
            .toList();
    assertThrows(IllegalArgumentException.class, () -> alice.subscribeToRemotes(many));
    alice.subscribeToRemotes(many.subList(0, RemoteHeadsSubscriptions.SUBSCRIPTIONS_MAX));
  }

  private static RemoteHeadsChanged report(DocHandle doc, Map<String, RemoteHeads> newHeads) {
    return new RemoteHeadsChanged("hand", "alice", doc.id(), newHeads);
  }
}
