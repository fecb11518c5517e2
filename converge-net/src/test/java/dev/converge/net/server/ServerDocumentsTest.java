package dev.converge.net.server;

import static dev.converge.net.server.ServerTestDocuments.docWith;
import static dev.converge.net.server.ServerTestDocuments.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.net.protocol.TestClient;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.memory.InMemoryStorage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the server's document bookkeeping behaves while one document is busy. */
class ServerDocumentsTest {
  private Repo repo;
  private DocumentStore store;
  private SyncServer server;
  private final SplittableRandom random = new SplittableRandom(21);

  @BeforeEach
  void start() {
    repo = Repo.open(new InMemoryStorage(), RepoOptions.defaults());
    store = DocumentStore.of(repo);
    server =
        new SyncServer(
            store,
            SyncServerOptions.of("converge-test-server", "storage-1"),
            new NetworkObserver() {});
  }

  @AfterEach
  void stop() {
    server.close();
    repo.close();
  }

  @Test
  void join_documentLockHeld_otherDocumentsStillSync() throws Exception {
    DocumentId busy = newId(random);
    DocumentId other = newId(random);
    TestClient a = TestClient.connect(server, "client-a");
    a.join();
    a.share(busy, docWith("title", "busy"));
    Document otherDoc = docWith("title", "other");
    TestClient c = TestClient.connect(server, "client-c");
    c.join();
    c.share(other, otherDoc);
    TestClient.await(
        () -> store.find(busy).isPresent() && store.find(other).isPresent(),
        "the server stores both documents");
    DocHandle busyHandle = store.find(busy).orElseThrow();
    DocHandle otherHandle = store.find(other).orElseThrow();
    TestClient.await(
        () -> otherHandle.heads().equals(otherDoc.heads()), "the server has C's document");

    TestClient b = TestClient.connect(server, "client-b");
    b.join();
    // A sync applying a large message holds its document's lock a while; this test holds it.
    synchronized (busyHandle) {
      b.share(busy, Document.create());
      TestClient.await(() -> blockedOn(busyHandle), "B's join waits for the busy document");
      otherDoc.change(tx -> tx.put(ObjId.ROOT, "title", "edited"));
      c.changed(other);
      TestClient.await(
          () -> otherHandle.heads().equals(otherDoc.heads()),
          "C's edit of another document arrives while B waits");
    }
    TestClient.await(
        () -> b.heads(busy).equals(busyHandle.heads()), "B gets the busy document after all");
    assertEquals(a.doc(busy).toJson(), b.doc(busy).toJson());
  }

  /** Whether some thread waits to enter {@code monitor}. */
  private static boolean blockedOn(Object monitor) {
    int identity = System.identityHashCode(monitor);
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      if (info.getThreadState() == Thread.State.BLOCKED
          && info.getLockInfo() != null
          && info.getLockInfo().getIdentityHashCode() == identity) {
        return true;
      }
    }
    return false;
  }
}
