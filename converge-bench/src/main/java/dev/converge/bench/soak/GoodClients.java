package dev.converge.bench.soak;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.ObjId;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The two good clients of the soak: alice and bob, each a {@link RepoPeer} over its own in-memory
 * repository with its own token, both editing one document at a set rate. Each change's commit
 * message carries {@code soak:NAME:N:NANOTIME}; the other client measures the time from that edit
 * to its arrival (one JVM, one clock) and records which changes it received.
 */
final class GoodClients implements AutoCloseable {
  /** One good client. */
  static final class Client implements AutoCloseable {
    final String name;
    final Repo repo = Repo.inMemory();
    final RepoPeer peer;
    final Set<ChangeHash> made = ConcurrentHashMap.newKeySet();
    final Set<ChangeHash> receivedFromOther = ConcurrentHashMap.newKeySet();
    DocHandle doc;
    int edits;

    Client(String name, String peerId, String url, String token, DocumentId id, long seed)
        throws Exception {
      this.name = name;
      this.peer = new RepoPeer(repo, RepoPeerOptions.of(peerId, new SplittableRandom(seed)));
      peer.connect(
          new WebSocketDialer(
              URI.create(url), WebSocketDialerOptions.DEFAULT.withBearerToken(token)));
      this.doc = peer.find(id).get(60, TimeUnit.SECONDS);
    }

    void watch(String other, ConcurrentLinkedQueue<Long> latenciesNanos) {
      doc.addChangeListener(
          (changed, added) -> {
            long now = System.nanoTime();
            for (Change change : added) {
              String[] parts = change.message().orElse("").split(":", 4);
              if (parts.length == 4 && parts[0].equals("soak") && parts[1].equals(other)) {
                latenciesNanos.add(now - Long.parseLong(parts[3]));
                receivedFromOther.add(change.hash());
              }
            }
          });
    }

    synchronized void edit() {
      int n = edits++;
      doc.change(
              CommitOptions.defaults()
                  .withMessage("soak:" + name + ":" + n + ":" + System.nanoTime()),
              tx -> tx.put(ObjId.ROOT, name + n, n))
          .ifPresent(change -> made.add(change.hash()));
    }

    @Override
    public void close() {
      peer.close();
      repo.close();
    }
  }

  final Client alice;
  final Client bob;
  final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();

  GoodClients(String url, String aliceToken, String bobToken, String alicePeerId, DocumentId id)
      throws Exception {
    alice = new Client("alice", alicePeerId, url, aliceToken, id, 1);
    bob = new Client("bob", "bob-phone", url, bobToken, id, 2);
    alice.watch("bob", latenciesNanos);
    bob.watch("alice", latenciesNanos);
  }

  /** Changes one made that the other has not received yet. */
  int undelivered() {
    int missing = 0;
    for (ChangeHash hash : alice.made) {
      missing += bob.receivedFromOther.contains(hash) ? 0 : 1;
    }
    for (ChangeHash hash : bob.made) {
      missing += alice.receivedFromOther.contains(hash) ? 0 : 1;
    }
    return missing;
  }

  /** Every change either made. */
  List<ChangeHash> made() {
    List<ChangeHash> all = new ArrayList<>(alice.made);
    all.addAll(bob.made);
    return all;
  }

  @Override
  public void close() {
    alice.close();
    bob.close();
  }
}
