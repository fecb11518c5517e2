package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.SyncServer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: a {@link RepoPeer} synced only the documents opened after it was made (the repo's {@link
 * Repo.DocumentListener} tells of those); one already open in its repo stayed unsynced until
 * someone shared or found it again, so a program that opened its documents first and went online
 * second synced nothing. Now the peer shares every handle the repo holds when it is made ({@link
 * Repo#openHandles}). Two repos through a {@link SyncServer} over the in-memory network; waits poll
 * for the expected state with a 10 s bound (no timing is asserted).
 */
class RepoPeerOpenDocumentsTest {
  private final RepoPeerFixture fixture = new RepoPeerFixture(6);

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void documentsOpenBeforeThePeerWasMade_areSynced_andAnotherPeerFindsThem() throws Exception {
    RepoPeerFixture.StoredDocument stored = fixture.storedDocument("stored before");
    Repo repo = stored.repo();
    DocHandle loaded = repo.find(stored.id()).orElseThrow(); // loaded before the peer exists
    DocHandle created = repo.create();
    created.change(tx -> tx.put(ObjId.ROOT, "k", "created before"));

    fixture.connectedPeer("alice", repo);
    fixture.awaitOnServer(loaded);
    fixture.awaitOnServer(created);

    RepoPeer bob = fixture.connectedPeer("bob", Repo.inMemory());
    DocHandle theirs = bob.find(created.id()).get(10, TimeUnit.SECONDS);
    TestClient.await(() -> theirs.heads().equals(created.heads()), "bob has alice's document");
    assertEquals(created.toJson(), theirs.toJson());
    created.change(tx -> tx.put(ObjId.ROOT, "later", 1)); // and later changes flow too
    TestClient.await(() -> theirs.heads().equals(created.heads()), "bob gets the later change");
  }

  /**
   * Documents created while the peer is being made: each is handed out before the peer's listener
   * is registered (then it is in the snapshot), after the snapshot (then it is reported), or
   * between the two (then both, and share ignores the second): every one is synced.
   */
  @Test
  void documentsCreatedWhileThePeerIsMade_areAllSynced() throws Exception {
    Repo repo = Repo.inMemory();
    List<DocHandle> created = new ArrayList<>();
    CountDownLatch someBefore = new CountDownLatch(20);
    Thread creator =
        new Thread(
            () -> {
              for (int i = 0; i < 200; i++) {
                int n = i;
                DocHandle handle = repo.create();
                handle.change(tx -> tx.put(ObjId.ROOT, "n", n));
                synchronized (created) {
                  created.add(handle);
                }
                someBefore.countDown();
              }
            });
    creator.start();
    someBefore.await(); // the peer is made while the others are being created
    RepoPeer alice = fixture.connectedPeer("alice", repo);
    creator.join();
    List<DocHandle> all;
    synchronized (created) {
      all = List.copyOf(created);
    }
    TestClient.await(() -> alice.connectedPeers().equals(List.of("server")), "alice connects");
    for (DocHandle handle : all) {
      handle.change(tx -> tx.put(ObjId.ROOT, "after", 1));
    }
    for (DocHandle handle : all) {
      fixture.awaitOnServer(handle);
    }
    assertTrue(fixture.serverRepo.list().containsAll(all.stream().map(DocHandle::id).toList()));
  }
}
