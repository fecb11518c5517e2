package dev.converge.cluster;

import static dev.converge.cluster.ClusterFixture.await;
import static dev.converge.cluster.ClusterFixture.client;
import static dev.converge.cluster.ClusterFixture.hashes;
import static dev.converge.cluster.ClusterFixture.ws;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.jspecify.annotations.Nullable;
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

  @Test
  void kafkaRefusesARecordForGood_connectionClosed_clientSendsItAgain() throws Exception {
    ClusterOptions options =
        ClusterOptions.of(TestBroker.get().bootstrapServers())
            .withClusterName(
                "ref" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet())
            .withPartitions(1);
    ClusterNode backend = ClusterNode.join(options);
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, options.changesTopic());
    try (ConvergeServer node =
            ConvergeServer.start(ServerOptions.defaults(dir.resolve("node"), 0), backend);
        Admin admin =
            Admin.create(Map.<String, Object>of("bootstrap.servers", options.bootstrapServers()));
        Repo repo = Repo.inMemory();
        RepoPeer writer = client(repo, "writer", 18, ws(node))) {
      DocHandle doc = writer.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "small", 1));
      await(() -> holdsAll(node, doc), "the node applied the small change");
      // Applied after Kafka acknowledged it, and still counted as a client's change.
      await(() -> changesApplied(node) >= 1, "the node counted the change as applied");

      // The topic now takes no record as large as the next change: Kafka refuses it for good.
      setMessageBytesMax(admin, topic, "512");
      SplittableRandom random = new SplittableRandom(18);
      StringBuilder noise = new StringBuilder(); // random, so that compression cannot shrink it
      for (int i = 0; i < 8192; i++) {
        noise.append((char) ('a' + random.nextInt(26)));
      }
      doc.change(tx -> tx.put(ObjId.ROOT, "large", noise.toString()));
      await(() -> backend.clusterMetrics().produceFailures() >= 1, "Kafka refused the change");
      assertFalse(holdsAll(node, doc), "a change Kafka refused is not applied");

      // The client was disconnected, not left waiting: it sends the change again, and once the
      // topic takes it, the node has it without the client writing anything more.
      setMessageBytesMax(admin, topic, null);
      await(() -> holdsAll(node, doc), "the client sent the refused change again");
    }
  }

  /** Sets the topic's {@code max.message.bytes}, or back to the broker's default if null. */
  private static void setMessageBytesMax(Admin admin, ConfigResource topic, @Nullable String bytes)
      throws Exception {
    AlterConfigOp op =
        bytes == null
            ? new AlterConfigOp(
                new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)
            : new AlterConfigOp(
                new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET);
    admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(30, TimeUnit.SECONDS);
    await(
        () -> {
          try {
            Config config =
                admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            ConfigEntry entry = config == null ? null : config.get("max.message.bytes");
            if (entry == null) {
              return false;
            }
            return bytes == null ? entry.isDefault() : bytes.equals(entry.value());
          } catch (Exception e) {
            return false;
          }
        },
        "the topic's max.message.bytes is " + bytes);
  }

  /** The node's {@code converge_changes_applied_total}, from its {@code /metrics}. */
  private static double changesApplied(ConvergeServer node) {
    try {
      String text =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : text.split("\n", -1)) {
        if (line.startsWith("converge_changes_applied_total")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return 0;
    } catch (java.io.IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
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
