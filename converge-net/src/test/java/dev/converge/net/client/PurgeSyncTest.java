package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.ObjId;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.DocumentAccess;
import dev.converge.net.server.DocumentStore;
import dev.converge.net.server.NetworkObserver;
import dev.converge.net.server.SyncServer;
import dev.converge.net.server.SyncServerOptions;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purge through a {@link SyncServer}, over the in-memory network, every repository a real SQLite
 * store in its own directory. A canary written into a document is found by a byte scan of each
 * directory (server and replicas) before the purge, so the scan can fail, and in no file of any of
 * them after: the server purged its copy on a client's request, a replica syncing the document
 * learned it at once, one that was offline learned it on reconnecting, and an old replica's changes
 * cannot bring the document back to the server.
 */
class PurgeSyncTest {
  private static final String CANARY = "zqnetcanary3307";

  @TempDir Path dir;

  private final SplittableRandom random = new SplittableRandom(2026);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @SuppressWarnings("NullAway.Init") // set by startServer, first thing in each test
  private Repo serverRepo;

  @SuppressWarnings("NullAway.Init")
  private SyncServer server;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private void startServer(DocumentAccess access) {
    serverRepo = Repo.open(dir.resolve("server"));
    server =
        new SyncServer(
            DocumentStore.of(serverRepo),
            SyncServerOptions.of("server", "storage-server").withAccess(access),
            NetworkObserver.NONE);
    closeables.add(0, serverRepo);
    SyncServer started = server;
    closeables.add(0, started::close);
  }

  private Repo repo(String name) {
    Repo repo = Repo.open(dir.resolve(name), RepoOptions.defaults().withRandom(random.split()));
    closeables.add(0, repo);
    return repo;
  }

  private RepoPeer peer(String name, Repo repo, Optional<String> principal) {
    RepoPeer peer =
        new RepoPeer(
            repo, RepoPeerOptions.of(name, random.split()).withBackoff(RepoPeerFixture.FAST));
    closeables.add(0, peer);
    peer.connect(dialer(name, principal));
    TestClient.await(() -> !peer.connectedPeers().isEmpty(), name + " connected");
    return peer;
  }

  private Dialer dialer(String name, Optional<String> principal) {
    return new Dialer() {
      @Override
      public CompletableFuture<Connection> dial(ConnectionHandler handler) {
        return CompletableFuture.completedFuture(
            InMemoryNetwork.connect(server, name, principal, handler));
      }

      @Override
      public String description() {
        return "in-memory:" + name;
      }
    };
  }

  @Test
  void purge_byClient_reachesServerLiveAndOfflineReplicas_canaryInNoDirectory() throws Exception {
    startServer(DocumentAccess.ALL);
    Repo aRepo = repo("a");
    RepoPeer a = peer("a", aRepo, Optional.empty());
    DocHandle doc = a.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "secret", CANARY));
    doc.whenDurable().get(10, TimeUnit.SECONDS);
    DocumentId id = doc.id();
    List<Change> old = doc.changes();
    TestClient.await(() -> serverRepo.find(id).isPresent(), "the server has the document");
    Repo bRepo = repo("b");
    RepoPeer b = peer("b", bRepo, Optional.empty());
    assertTrue(b.find(id).get(10, TimeUnit.SECONDS).toJson().contains(CANARY));
    Repo cRepo = repo("c");
    RepoPeer c = peer("c", cRepo, Optional.empty());
    c.find(id).get(10, TimeUnit.SECONDS).whenDurable().get(10, TimeUnit.SECONDS);
    c.close(); // offline from now on
    serverRepo.flush();
    bRepo.flush();
    for (String name : List.of("server", "a", "b", "c")) {
      assertFalse(filesHolding(dir.resolve(name)).isEmpty(), name + " holds the canary before");
    }

    assertTrue(a.purge(id).get(10, TimeUnit.SECONDS));

    assertTrue(serverRepo.isPurged(id));
    assertEquals(List.of(), filesHolding(dir.resolve("server")));
    assertEquals(List.of(), filesHolding(dir.resolve("a")));
    TestClient.await(() -> bRepo.isPurged(id), "the live replica learns of the purge");
    bRepo.flush(); // the tombstone commits first, the overwrite of the files right after it
    assertEquals(List.of(), filesHolding(dir.resolve("b")));
    assertFalse(cRepo.isPurged(id));
    assertTrue(cRepo.find(id).isPresent(), "the offline replica still has its copy");

    RepoPeer cAgain = peer("c2", cRepo, Optional.empty());
    TestClient.await(() -> cRepo.isPurged(id), "the offline replica learns on reconnecting");
    cRepo.flush();
    assertEquals(List.of(), filesHolding(dir.resolve("c")));
    assertTrue(cAgain.connectedPeers().contains("server"));

    // An old replica that never heard of the purge offers the changes: the server refuses them.
    Repo old1 = Repo.inMemory();
    closeables.add(0, old1);
    old1.findOrCreate(id).applyChanges(old);
    RepoPeer oldPeer = peer("old", old1, Optional.empty());
    TestClient.await(() -> old1.isPurged(id), "the old replica learns of the purge too");
    assertEquals(Optional.empty(), serverRepo.find(id));
    assertEquals(List.of(), serverRepo.list());
    assertEquals(List.of(), filesHolding(dir.resolve("server")));
    assertTrue(oldPeer.connectedPeers().contains("server"), "the connection stays up");
  }

  @Test
  void purge_byClientWithoutAccess_refusedAndServerKeepsDocument() throws Exception {
    startServer((principal, documentId) -> principal.equals(Optional.of("writer")));
    Repo writerRepo = repo("writer");
    RepoPeer writer = peer("writer", writerRepo, Optional.of("writer"));
    DocHandle doc = writer.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "secret", CANARY));
    DocumentId id = doc.id();
    TestClient.await(() -> serverRepo.find(id).isPresent(), "the server has the document");
    RepoPeer stranger = peer("stranger", repo("stranger"), Optional.of("stranger"));

    ExecutionException refused =
        assertThrows(ExecutionException.class, () -> stranger.purge(id).get(10, TimeUnit.SECONDS));

    assertTrue(String.valueOf(refused.getCause()).contains("refused"), refused.getMessage());
    assertFalse(serverRepo.isPurged(id));
    assertTrue(serverRepo.find(id).orElseThrow().toJson().contains(CANARY));
    assertFalse(writerRepo.isPurged(id));
  }

  @Test
  void purge_notConnected_refusedBeforeAnythingChanges() {
    startServer(DocumentAccess.ALL);
    Repo lonely = repo("lonely");
    RepoPeer peer = new RepoPeer(lonely, RepoPeerOptions.of("lonely", random.split()));
    closeables.add(0, peer);
    DocHandle doc = lonely.create();
    assertThrows(dev.converge.core.ConvergeException.class, () -> peer.purge(doc.id()));
    assertFalse(lonely.isPurged(doc.id()));
  }

  private static List<String> filesHolding(Path root) throws IOException {
    String needle =
        new String(CANARY.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle)) {
          holding.add(root.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
