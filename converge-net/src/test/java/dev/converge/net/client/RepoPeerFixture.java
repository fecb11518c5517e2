package dev.converge.net.client;

import dev.converge.core.ObjId;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.DocumentStore;
import dev.converge.net.server.NetworkObserver;
import dev.converge.net.server.SyncServer;
import dev.converge.net.server.SyncServerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.memory.InMemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the {@link RepoPeer} tests stand on: a {@link SyncServer} (peer ID {@code server}, storage
 * ID {@code storage-server}) over an in-memory repo, and peers that redial within milliseconds,
 * each with its own generator split off one seeded {@link #random}. A test class holds one per test
 * and closes it after each: every peer before its repo, the newest first, then the server and its
 * repo.
 */
final class RepoPeerFixture {
  static final ReconnectBackoff FAST =
      new ReconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(100), 2.0);

  /** The test's only randomness: peers split theirs off it, tests may draw from it too. */
  final SplittableRandom random;

  final Repo serverRepo = Repo.inMemory();
  final SyncServer server =
      new SyncServer(
          DocumentStore.of(serverRepo),
          SyncServerOptions.of("server", "storage-server"),
          NetworkObserver.NONE);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  RepoPeerFixture(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A peer over {@code repo} with {@code options}, closed with the fixture, before the repo. */
  RepoPeer peer(Repo repo, RepoPeerOptions options) {
    RepoPeer peer = new RepoPeer(repo, options);
    closeables.add(0, repo);
    closeables.add(0, peer);
    return peer;
  }

  /** A peer named {@code name} over {@code repo} that redials fast, not connected. */
  RepoPeer peer(String name, Repo repo) {
    return peer(repo, RepoPeerOptions.of(name, random.split()).withBackoff(FAST));
  }

  /** A peer named {@code name} over a new in-memory repo that redials fast, not connected. */
  RepoPeer peer(String name) {
    return peer(name, Repo.inMemory());
  }

  /** {@link #peer(String, Repo)}, dialing the server (the handshake may not have finished yet). */
  RepoPeer connectedPeer(String name, Repo repo) {
    RepoPeer peer = peer(name, repo);
    peer.connect(InMemoryNetwork.dialer(server, name));
    return peer;
  }

  /**
   * Waits until the server has {@code handle}'s document with the same heads: a find by ID before
   * then fails, as with a JavaScript client.
   */
  void awaitOnServer(DocHandle handle) {
    TestClient.await(
        () -> serverRepo.find(handle.id()).map(h -> h.heads().equals(handle.heads())).orElse(false),
        "the server has " + handle.id() + " " + handle.toJson());
  }

  /** A repo and the ID of a document in its storage. */
  record StoredDocument(Repo repo, DocumentId id) {}

  /**
   * A new repo over a storage that already holds a document {@code {"k": value}}, which the repo
   * has not loaded yet: another repo (closed with the fixture) wrote it and waited until it was
   * durable.
   */
  StoredDocument storedDocument(String value) throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    Repo writer = Repo.open(storage, RepoOptions.defaults());
    closeables.add(0, writer);
    DocHandle written = writer.create();
    written.change(tx -> tx.put(ObjId.ROOT, "k", value));
    written.whenDurable().get(10, TimeUnit.SECONDS);
    return new StoredDocument(Repo.open(storage, RepoOptions.defaults()), written.id());
  }

  /** Closes what the fixture made: the peers before their repos, newest first, then the server. */
  void close() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    server.close();
    serverRepo.close();
  }
}
