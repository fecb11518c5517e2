package dev.converge.cluster;

import dev.converge.core.ChangeHash;
import dev.converge.net.client.FailoverDialer;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.spi.Dialer;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.server.ConvergeServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers of the cluster tests: clients, waits and comparisons. */
final class ClusterFixture {
  private ClusterFixture() {}

  static String ws(ConvergeServer server) {
    return ws(server.port());
  }

  static String ws(int port) {
    return "ws://127.0.0.1:" + port + "/";
  }

  static Dialer dialer(String ws) {
    return new WebSocketDialer(URI.create(ws), WebSocketDialerOptions.DEFAULT);
  }

  /** A client over {@code repo}, failing over along {@code urls}; waits until it is connected. */
  static RepoPeer client(Repo repo, String name, int seed, String... urls) {
    RepoPeer peer = new RepoPeer(repo, RepoPeerOptions.of(name, new SplittableRandom(seed)));
    List<Dialer> dialers = new ArrayList<>();
    for (String url : urls) {
      dialers.add(dialer(url));
    }
    peer.connect(dialers.size() == 1 ? dialers.get(0) : new FailoverDialer(dialers));
    await(() -> peer.connectedPeers().size() == 1, name + " connects to " + urls[0]);
    return peer;
  }

  static Set<ChangeHash> hashes(DocHandle handle) {
    Set<ChangeHash> all = new HashSet<>();
    handle.changes().forEach(change -> all.add(change.hash()));
    return all;
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 60 s waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
