package dev.converge.cluster;

import static dev.converge.cluster.ClusterFixture.await;
import static dev.converge.cluster.ClusterFixture.client;
import static dev.converge.cluster.ClusterFixture.hashes;
import static dev.converge.cluster.ClusterFixture.ws;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.sync.SyncMessage;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends changes no node would accept: a node of a cluster refuses them as a lone
 * server does, before anything reaches Kafka. On the broker the cluster test classes share ({@link
 * TestBroker}); every wait is a bounded poll.
 */
class ClusterRefusalIT {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final MessageCodec CODEC = new MessageCodec();

  @TempDir Path dir;

  @Test
  void corruptChangeEntry_refusedAsOnALoneServer_nothingReachesKafka() throws Exception {
    ClusterOptions options =
        ClusterOptions.of(TestBroker.get().bootstrapServers())
            .withClusterName(
                "ref" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet())
            .withPartitions(1);
    ClusterNode backend = ClusterNode.join(options);
    try (ConvergeServer node =
            ConvergeServer.start(ServerOptions.defaults(dir.resolve("node"), 0), backend);
        ConvergeServer lone =
            ConvergeServer.start(ServerOptions.defaults(dir.resolve("lone"), 0))) {
      DocHandle held = lone.repo().create();
      held.change(tx -> tx.put(ObjId.ROOT, "good", 1));
      String onLone = refusal(lone, held.id());
      try (Repo repo = Repo.inMemory();
          RepoPeer writer = client(repo, "writer", 18, ws(node))) {
        DocHandle doc = writer.create();
        doc.change(tx -> tx.put(ObjId.ROOT, "good", 1));
        await(() -> holdsAll(node, doc), "the node applied the good change");
        String onNode = refusal(node, doc.id());
        assertEquals(onLone, onNode, "the same refusal as a lone server");

        // A good change after the bad one: once the node consumed it, the topic holds no record
        // of the bad one before it.
        doc.change(tx -> tx.put(ObjId.ROOT, "after", 2));
        await(() -> holdsAll(node, doc), "the node applied the change after");
        long records = ClusterIT.recordsIn(TestBroker.get(), options.changesTopic());
        await(
            () -> backend.clusterMetrics().consumedRecords() >= records,
            "the node consumed every record of the topic");
        assertEquals(records, backend.clusterMetrics().consumedRecords(), "every record is good");
      }
    }
  }

  private static boolean holdsAll(ConvergeServer node, DocHandle doc) {
    return node.repo().find(doc.id()).map(h -> hashes(h).containsAll(hashes(doc))).orElse(false);
  }

  /** Sends {@code id} a sync message whose one change entry is damaged; the error that answers. */
  private static String refusal(ConvergeServer server, DocumentId id) throws Exception {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "bad", 1));
    byte[] entry = doc.changes().get(0).toBytes();
    entry[entry.length - 1] ^= 0x01; // the change's last op byte: its checksum no longer holds
    byte[] sync =
        new SyncMessage(
                SyncMessage.Version.V1,
                doc.heads(),
                List.of(),
                List.of(),
                List.of(entry),
                SyncMessage.NO_FLAGS)
            .encode();
    try (RawClient client = new RawClient(server.port())) {
      client.send(new RepoMessage.Join("mallory", PeerMetadata.ephemeral(), List.of("1")));
      assertInstanceOf(RepoMessage.Peer.class, client.next());
      client.send(new RepoMessage.Sync("mallory", "server", id, Bytes.of(sync)));
      while (true) {
        Object event = client.next();
        if (event instanceof RepoMessage.ProtocolError error) {
          assertTrue(client.awaitClosed(), "the connection is closed");
          return error.message();
        }
        assertTrue(event instanceof RepoMessage, "no close before the error: " + event);
      }
    }
  }

  /** A client that speaks message by message over the JDK's WebSocket client. */
  private static final class RawClient implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final WebSocket socket;

    RawClient(int port) throws Exception {
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this)
              .get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.writeBytes(bytes);
      if (last) {
        events.add(CODEC.decode(partial.toByteArray()));
        partial.reset();
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add("closed " + statusCode);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      events.add("error " + error);
    }

    void send(RepoMessage message) throws Exception {
      socket.sendBinary(ByteBuffer.wrap(CODEC.encode(message)), true).get(10, TimeUnit.SECONDS);
    }

    Object next() throws InterruptedException {
      Object event = events.poll(30, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("nothing from the server within 30 s");
      }
      return event;
    }

    boolean awaitClosed() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        Object event = events.poll(100, TimeUnit.MILLISECONDS);
        if (event instanceof String text) {
          return text.startsWith("closed") || text.startsWith("error");
        }
      }
      return false;
    }

    @Override
    public void close() {
      socket.abort();
    }
  }
}
