package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.converge.core.ObjId;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.protocol.TestClient;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction between live {@link RepoPeer}s through a {@link SyncServer}, over the in-memory
 * network, each repository a real SQLite store in its own directory. Replica a compacts a document
 * whose history holds a canary while replica b has it open: the server records the link and closes
 * the old document; b, told {@code doc-unavailable}, asks why, is told where it moved, fetches the
 * successor and purges its old copy; with both known replicas moved, the server purges its own. The
 * canary is in each directory before and in no file of any after.
 */
class CompactPeerSyncTest {
  private static final String CANARY = "zqpeercompact9090";

  @TempDir Path dir;

  private final SplittableRandom random = new SplittableRandom(2027);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private Repo repo(String name) {
    Repo repo = Repo.open(dir.resolve(name), RepoOptions.defaults().withRandom(random.split()));
    closeables.add(0, repo);
    return repo;
  }

  private RepoPeer peer(String name, Repo repo, SyncServer server) {
    RepoPeer peer =
        new RepoPeer(
            repo, RepoPeerOptions.of(name, random.split()).withBackoff(RepoPeerFixture.FAST));
    closeables.add(0, peer);
    peer.connect(
        new Dialer() {
          @Override
          public CompletableFuture<Connection> dial(ConnectionHandler handler) {
            return CompletableFuture.completedFuture(
                InMemoryNetwork.connect(server, name, Optional.empty(), handler));
          }

          @Override
          public String description() {
            return "in-memory:" + name;
          }
        });
    TestClient.await(() -> !peer.connectedPeers().isEmpty(), name + " connected");
    return peer;
  }

  @Test
  void compact_byLiveReplica_otherReplicaMovesAndServerPurges() throws Exception {
    Repo serverRepo = repo("server");
    SyncServer server =
        new SyncServer(
            DocumentStore.of(serverRepo),
            SyncServerOptions.of("server", "storage-server"),
            NetworkObserver.NONE);
    closeables.add(0, server::close);
    Repo aRepo = repo("a");
    Repo bRepo = repo("b");
    RepoPeer a = peer("a", aRepo, server);
    RepoPeer b = peer("b", bRepo, server);
    DocHandle doc = a.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "secret", CANARY));
    doc.change(tx -> tx.put(ObjId.ROOT, "secret", "gone"));
    doc.whenDurable().get(10, TimeUnit.SECONDS);
    DocumentId old = doc.id();
    DocHandle bCopy = b.find(old).get(10, TimeUnit.SECONDS);
    TestClient.await(() -> bCopy.heads().equals(doc.heads()), "b has the document");
    TestClient.await(
        () -> serverRepo.find(old).map(h -> h.heads().equals(doc.heads())).orElse(false),
        "the server has the document");
    for (Repo repo : List.of(serverRepo, aRepo, bRepo)) {
      repo.flush();
    }
    for (String name : List.of("server", "a", "b")) {
      assertFalse(filesHolding(dir.resolve(name)).isEmpty(), name + " holds the canary before");
    }

    DocumentId successor = a.compact(old).id();

    // isPurged turns true when the purge's transaction commits; the WAL is truncated after it.
    TestClient.await(
        () -> bRepo.isPurged(old) && filesHoldingUnchecked(dir.resolve("b")).isEmpty(),
        "b moved and purged its old copy");
    TestClient.await(
        () -> {
          server.settleCompactions();
          return serverRepo.isPurged(old);
        },
        "the server purged its copy");
    assertEquals(successor, bRepo.resolve(old));
    assertEquals(successor, serverRepo.resolve(old));
    assertEquals(
        aRepo.find(successor).orElseThrow().toJson(), bRepo.find(successor).orElseThrow().toJson());
    for (String name : List.of("server", "a", "b")) {
      assertEquals(List.of(), filesHolding(dir.resolve(name)), name);
    }
  }

  private static List<String> filesHoldingUnchecked(Path root) {
    try {
      return filesHolding(root);
    } catch (IOException e) {
      return List.of("unreadable while SQLite writes: " + e); // the await reads again
    }
  }

  private static List<String> filesHolding(Path root) throws IOException {
    String needle =
        new String(CANARY.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (text.contains(needle)) {
          holding.add(root.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
