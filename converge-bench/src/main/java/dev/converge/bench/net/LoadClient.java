package dev.converge.bench.net;

import dev.converge.core.Change;
import dev.converge.core.CommitOptions;
import dev.converge.core.ObjId;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One benchmark client: a {@link RepoPeer} over its own in-memory {@link Repo} and one WebSocket.
 * Change {@code n} of client {@code i} goes to its own document ({@code n} even) or the next
 * client's ({@code n} odd); its commit message carries {@code load:i:n:nanoTime}, so that the other
 * client of that document can measure the time from the edit to its arrival (one JVM, one clock).
 */
final class LoadClient implements AutoCloseable {
  final int index;
  final Repo repo = Repo.inMemory();
  final RepoPeer peer;
  DocHandle own;
  DocHandle next;
  int changesMade;

  LoadClient(int index, String url, HttpClient http, SplittableRandom random) {
    this.index = index;
    this.peer = new RepoPeer(repo, RepoPeerOptions.of("load-client-" + index, random));
    peer.connect(new WebSocketDialer(URI.create(url), WebSocketDialerOptions.DEFAULT, http));
    this.own = peer.create();
    // As apps do (automerge-repo's create(initialValue)): a document a server can store at once.
    own.change(tx -> tx.put(ObjId.ROOT, "createdBy", index));
    this.next = own;
  }

  /** Measures every change from another client that arrives at {@code handle}. */
  void watch(DocHandle handle, ConcurrentLinkedQueue<Long> latenciesNanos) {
    handle.addChangeListener(
        (changed, added) -> {
          long now = System.nanoTime();
          for (Change change : added) {
            String message = change.message().orElse("");
            if (message.startsWith("load:")) {
              String[] parts = message.split(":", 4);
              if (Integer.parseInt(parts[1]) != index) {
                latenciesNanos.add(now - Long.parseLong(parts[3]));
              }
            }
          }
        });
  }

  /** Makes the next change. */
  synchronized void edit() {
    int n = changesMade++;
    DocHandle target = n % 2 == 0 ? own : next;
    String key = key(index, n);
    target.change(
        CommitOptions.defaults().withMessage("load:" + index + ":" + n + ":" + System.nanoTime()),
        tx -> tx.put(ObjId.ROOT, key, n));
  }

  synchronized int changesMade() {
    return changesMade;
  }

  static String key(int client, int n) {
    return "c" + client + "n" + n;
  }

  List<DocHandle> documents() {
    return List.of(own, next);
  }

  @Override
  public void close() {
    peer.close();
    repo.close();
  }
}
