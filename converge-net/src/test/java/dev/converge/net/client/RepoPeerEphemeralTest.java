package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.converge.core.ObjId;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.SyncServer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ephemeral messages of a {@link RepoPeer} (issue 6), as automerge-repo's {@code handle.broadcast}
 * and {@code ephemeral-message} event: between two peers through a {@link SyncServer}, and against
 * a {@link HandServer} that checks the wire fields and plays relays that deliver duplicates. All
 * over the in-memory network; waits poll with a 10 s bound, and a check that something did not
 * arrive follows a later message on the same connection (frames arrive in order), never a pause.
 */
class RepoPeerEphemeralTest {
  private static final CBORMapper CBOR = new CBORMapper();

  private final RepoPeerFixture fixture = new RepoPeerFixture(7);

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private static Bytes cbor(Object value) {
    try {
      return Bytes.of(CBOR.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode decode(Bytes data) throws Exception {
    return CBOR.readTree(data.toArray());
  }

  /** Records what a peer's listener is told. */
  private static List<EphemeralMessage> listen(RepoPeer peer, DocumentId id) {
    List<EphemeralMessage> heard = new CopyOnWriteArrayList<>();
    peer.addEphemeralListener(id, heard::add);
    return heard;
  }

  @Test
  void broadcast_throughTheServer_reachesTheOtherPeersListener_bothWays() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    alice.connect(InMemoryNetwork.dialer(fixture.server, "alice"));
    RepoPeer bob = fixture.peer("bob");
    bob.connect(InMemoryNetwork.dialer(fixture.server, "bob"));
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice connects");
    DocHandle mine = alice.create();
    mine.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
    TestClient.await(() -> fixture.serverRepo.find(mine.id()).isPresent(), "the server has it");
    DocHandle theirs = bob.find(mine.id()).get(10, TimeUnit.SECONDS);
    List<EphemeralMessage> heardByAlice = listen(alice, mine.id());
    List<EphemeralMessage> heardByBob = listen(bob, theirs.id());

    assertEquals(1, alice.broadcast(mine.id(), cbor(Map.of("cursor", 3, "user", "alice"))));
    TestClient.await(() -> heardByBob.size() == 1, "bob hears alice");
    assertEquals(1, bob.broadcast(theirs.id(), cbor(Map.of("cursor", 5, "user", "bob"))));
    TestClient.await(() -> heardByAlice.size() == 1, "alice hears bob");

    EphemeralMessage fromAlice = heardByBob.get(0);
    assertEquals("alice", fromAlice.senderId());
    assertEquals(mine.id(), fromAlice.documentId());
    assertEquals("alice", decode(fromAlice.data()).get("user").asText());
    assertEquals(3, decode(fromAlice.data()).get("cursor").asInt());
    assertEquals("bob", heardByAlice.get(0).senderId());
    assertEquals("bob", decode(heardByAlice.get(0).data()).get("user").asText());
    assertTrue(fixture.serverRepo.find(mine.id()).orElseThrow().toJson().equals(mine.toJson()));
  }

  @Test
  void broadcast_carriesOurSenderIdSessionIdAndACountThatIncreases() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    HandServer hand = new HandServer("hand");
    alice.connect(InMemoryNetwork.dialer(hand, "alice"));
    TestClient.await(() -> alice.connectedPeers().equals(List.of("hand")), "handshake");
    TestClient.await(() -> alice.broadcast(doc.id(), cbor("first")) == 1, "alice syncs with hand");
    alice.broadcast(doc.id(), cbor("second"));

    List<Ephemeral> sent = new ArrayList<>();
    while (sent.isEmpty() || !decode(sent.get(sent.size() - 1).data()).asText().equals("second")) {
      sent.add(hand.next(Ephemeral.class));
    }
    Ephemeral first = sent.get(sent.size() - 2);
    Ephemeral second = sent.get(sent.size() - 1);
    assertEquals("first", decode(first.data()).asText());
    assertEquals("alice", second.senderId());
    assertEquals("hand", second.targetId());
    assertEquals(doc.id(), second.documentId());
    assertTrue(second.sessionId().matches("[0-9a-z]{11}"), second.sessionId());
    assertEquals(first.sessionId(), second.sessionId());
    assertEquals(first.count() + 1, second.count());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(i + 1, sent.get(i).count(), "counts start at 1 and grow by one per message");
    }
  }

  @Test
  void broadcast_ofBytesThatAreNotOneCborItem_isRefused_andOfAnUnsyncedDocumentSendsNothing()
      throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    assertThrows(
        IllegalArgumentException.class, () -> alice.broadcast(doc.id(), Bytes.of(new byte[0])));
    assertThrows(
        IllegalArgumentException.class, () -> alice.broadcast(doc.id(), Bytes.fromHex("a1")));
    assertThrows(
        IllegalArgumentException.class, () -> alice.broadcast(doc.id(), Bytes.fromHex("0101")));
    assertEquals(0, alice.broadcast(doc.id(), cbor("nobody connected")));
    byte[] other = new byte[16];
    fixture.random.nextBytes(other);
    assertEquals(0, alice.broadcast(DocumentId.of(other), cbor("not synced")));
  }

  /**
   * As automerge-repo's NetworkSubsystem: a message is new only if its count is above the last one
   * of its sender's session; relays in a mesh deliver the same message more than once.
   */
  @Test
  void received_sameOrLowerCountOfASession_isDropped_otherSessionsAreNot() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    List<EphemeralMessage> heard = listen(alice, doc.id());
    HandServer hand = new HandServer("hand");
    alice.connect(InMemoryNetwork.dialer(hand, "alice"));
    TestClient.await(() -> alice.connectedPeers().equals(List.of("hand")), "handshake");

    Bytes data = cbor("x");
    long[][] sessionAndCount = {{1, 2}, {1, 2}, {1, 1}, {1, 3}, {2, 1}, {1, 3}, {2, 1}, {1, 4}};
    for (long[] message : sessionAndCount) {
      hand.send(new Ephemeral("carol", "alice", doc.id(), data, message[1], "s" + message[0]));
    }
    TestClient.await(() -> heard.size() == 4, "the four new messages arrive");
    hand.send(new Ephemeral("carol", "alice", doc.id(), cbor("last"), 5, "s1"));
    TestClient.await(() -> heard.size() == 5, "a later message arrives");
    assertEquals("last", decode(heard.get(4).data()).asText(), "nothing else came between");
    for (EphemeralMessage message : heard) {
      assertEquals("carol", message.senderId(), "the relayed message keeps its sender");
    }
  }

  /**
   * As a JavaScript Repo's DocSynchronizer: a new message is passed on, unchanged but for its
   * target, to the other peers the document is synced with, never back to the peer it came from.
   */
  @Test
  void received_isPassedOnToTheOtherPeersOfTheDocument_notBack() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    HandServer east = new HandServer("east");
    HandServer west = new HandServer("west");
    alice.connect(InMemoryNetwork.dialer(east, "alice"));
    alice.connect(InMemoryNetwork.dialer(west, "alice"));
    TestClient.await(() -> alice.connectedPeers().size() == 2, "both handshakes");
    TestClient.await(() -> alice.broadcast(doc.id(), cbor("hello")) == 2, "synced with both");

    Ephemeral original = new Ephemeral("carol", "alice", doc.id(), cbor("from carol"), 9, "s");
    east.send(original);
    Ephemeral passedOn = nextFrom(west, "carol");
    assertEquals(original.withTargetId("west"), passedOn);
    west.send(passedOn.withTargetId("alice")); // comes back round: a duplicate
    east.send(new Ephemeral("carol", "alice", doc.id(), cbor("again"), 10, "s"));
    Ephemeral next = nextFrom(west, "carol");
    assertEquals(10, next.count(), "the duplicate was not passed on");
    for (RepoMessage message : east.received) {
      if (message instanceof Ephemeral ephemeral) {
        assertNotEquals("carol", ephemeral.senderId(), "nothing went back to east");
      }
    }
  }

  private static Ephemeral nextFrom(HandServer server, String senderId) throws Exception {
    while (true) {
      Ephemeral message = server.next(Ephemeral.class);
      if (message.senderId().equals(senderId)) {
        return message;
      }
    }
  }

  @Test
  void listenerThatThrows_costsNeitherTheConnectionNorTheOtherListeners() throws Exception {
    RepoPeer alice = fixture.peer("alice");
    DocHandle doc = alice.create();
    alice.addEphemeralListener(
        doc.id(),
        message -> {
          throw new IllegalStateException("a bug in the application");
        });
    List<EphemeralMessage> heard = listen(alice, doc.id());
    HandServer hand = new HandServer("hand");
    alice.connect(InMemoryNetwork.dialer(hand, "alice"));
    TestClient.await(() -> alice.connectedPeers().equals(List.of("hand")), "handshake");
    hand.send(new Ephemeral("hand", "alice", doc.id(), cbor(1), 1, "s"));
    hand.send(new Ephemeral("hand", "alice", doc.id(), cbor(2), 2, "s"));
    TestClient.await(() -> heard.size() == 2, "both arrive");
    assertEquals(List.of("hand"), alice.connectedPeers());
  }
}
