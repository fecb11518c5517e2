package dev.converge.net.server;

import static dev.converge.net.server.ServerTestDocuments.docWith;
import static dev.converge.net.server.ServerTestDocuments.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.TestClient;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-connection rate limits and per-document access in {@link SyncServer}, over the in-memory
 * network. The rate limiter reads a clock the test moves by hand, so nothing depends on timing.
 */
class SyncServerLimitsTest {
  private static final Bytes EMPTY_REQUEST = Bytes.fromHex("42000001000000020284");

  private final SplittableRandom random = new SplittableRandom(4);
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final Repo repo = Repo.inMemory();
  private SyncServer server =
      new SyncServer(
          DocumentStore.of(repo),
          SyncServerOptions.of("server", "st"),
          NetworkObserver.NONE,
          clock::get);

  @AfterEach
  void stop() {
    server.close();
    repo.close();
  }

  private RepoMessage.Request request(String peer, DocumentId id) {
    return new RepoMessage.Request(peer, "server", id, EMPTY_REQUEST);
  }

  @Test
  void messagesOverTheRate_closeTheConnectionWithAnError_tokensRefillWithTime()
      throws InterruptedException {
    server.close();
    server =
        new SyncServer(
            DocumentStore.of(repo),
            SyncServerOptions.of("server", "st").withMessagesPerSecondMax(5),
            NetworkObserver.NONE,
            clock::get);
    TestClient client = TestClient.connect(server, "eager");
    client.join(); // 1 of 5
    for (int i = 0; i < 4; i++) {
      client.send(request("eager", newId(random))); // 2..5 of 5
      client.next(m -> m instanceof DocUnavailable);
    }
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(200)); // one more token
    client.send(request("eager", newId(random)));
    client.next(m -> m instanceof DocUnavailable);
    client.send(request("eager", newId(random))); // none left
    ProtocolError error = (ProtocolError) client.next(m -> m instanceof ProtocolError);
    assertEquals("more than 5 messages per second", error.message());
    assertTrue(client.awaitClosed(Duration.ofSeconds(5)));

    TestClient patient = TestClient.connect(server, "patient");
    patient.join();
    for (int i = 0; i < 12; i++) {
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
      patient.send(request("patient", newId(random)));
      patient.next(m -> m instanceof DocUnavailable);
    }
    assertFalse(patient.awaitClosed(Duration.ZERO), "5 per second on average is allowed");
  }

  @Test
  void peerWithoutAccess_getsDocUnavailable_neverTheContent_andCannotWrite() {
    DocumentId secret = newId(random);
    server.close();
    server =
        new SyncServer(
            DocumentStore.of(repo),
            SyncServerOptions.of("server", "st")
                .withAccess(
                    (principal, id) ->
                        !id.equals(secret) || principal.equals(Optional.of("alice"))),
            NetworkObserver.NONE,
            clock::get);
    TestClient alice = TestClient.connectAs(server, "alice", "alice");
    alice.join();
    Document doc = docWith("secret", "only for alice");
    alice.share(secret, doc);
    TestClient.await(
        () -> repo.find(secret).map(h -> h.heads().equals(doc.heads())).orElse(false),
        "the server has alice's document");
    DocHandle stored = repo.find(secret).orElseThrow();
    String before = stored.toJson();

    TestClient bob = TestClient.connectAs(server, "bob", "bob");
    bob.join();
    bob.share(secret, Document.create()); // a request
    assertEquals(
        secret, ((DocUnavailable) bob.next(m -> m instanceof DocUnavailable)).documentId());
    Document forged = docWith("secret", "overwritten by bob");
    TestClient mallory = TestClient.connect(server, "mallory"); // not authenticated at all
    mallory.join();
    mallory.share(secret, forged); // a sync carrying changes
    assertEquals(
        secret, ((DocUnavailable) mallory.next(m -> m instanceof DocUnavailable)).documentId());
    bob.share(secret, forged);
    assertEquals(
        secret, ((DocUnavailable) bob.next(m -> m instanceof DocUnavailable)).documentId());

    // Alice's later change reaches the server, and only her: the denied peers got no sync message.
    doc.change(tx -> tx.put(ObjId.ROOT, "more", "still alice"));
    alice.changed(secret);
    TestClient.await(() -> stored.heads().equals(doc.heads()), "alice's change is stored");
    assertFalse(stored.toJson().contains("overwritten"), stored.toJson());
    assertTrue(stored.toJson().contains("still alice") && before.contains("only for alice"));
    for (TestClient denied : new TestClient[] {bob, mallory}) {
      // Frames arrive in order: anything sent to it before this answer has arrived by now.
      denied.send(request(denied.peerId, secret));
      denied.next(m -> m instanceof DocUnavailable);
      assertTrue(
          denied.log().stream().noneMatch(m -> m instanceof RepoMessage.Sync),
          denied.peerId + " got " + denied.log());
    }
  }
}
