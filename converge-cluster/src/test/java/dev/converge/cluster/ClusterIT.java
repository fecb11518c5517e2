package dev.converge.cluster;

import static dev.converge.cluster.ClusterFixture.await;
import static dev.converge.cluster.ClusterFixture.client;
import static dev.converge.cluster.ClusterFixture.dialer;
import static dev.converge.cluster.ClusterFixture.hashes;
import static dev.converge.cluster.ClusterFixture.ws;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.broker.BrokerProcess;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.net.client.RepoPeer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes of a cluster on one real Kafka broker. How: one broker (a child JVM, {@link BrokerProcess},
 * shared by the test classes: {@link TestBroker}) serves the whole class; each test names its own
 * cluster, so its topics are its own. Nodes run in this JVM ({@link ConvergeServer} with a {@link
 * ClusterNode}), except the one killed with SIGKILL, which runs in a JVM of its own ({@link
 * ClusterNodeMain}). Clients are Java {@link RepoPeer}s over WebSocket. Every wait is a bounded
 * poll; nothing is timed.
 */
class ClusterIT {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static BrokerProcess broker;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.get();
  }

  private static ClusterOptions newCluster() {
    return ClusterOptions.of(broker.bootstrapServers())
        .withClusterName("it" + CLUSTERS.incrementAndGet())
        .withPartitions(4);
  }

  private ConvergeServer node(String name, ClusterOptions options) {
    return ConvergeServer.start(
        ServerOptions.defaults(dir.resolve(name), 0), ClusterNode.join(options));
  }

  private static DocHandle held(ConvergeServer node, DocumentId id) {
    return node.repo().find(id).orElseThrow();
  }

  private static boolean holdsAll(ConvergeServer node, DocumentId id, Set<ChangeHash> wanted) {
    return node.repo().find(id).map(handle -> hashes(handle).containsAll(wanted)).orElse(false);
  }

  @Test
  void threeNodes_clientsOnEachEditOneDocument_allConverge() {
    ClusterOptions options = newCluster();
    try (ConvergeServer a = node("a", options);
        ConvergeServer b = node("b", options);
        ConvergeServer c = node("c", options);
        Repo repoA = Repo.inMemory();
        Repo repoB = Repo.inMemory();
        Repo repoC = Repo.inMemory();
        RepoPeer onA = client(repoA, "client-a", 1, ws(a));
        RepoPeer onB = client(repoB, "client-b", 2, ws(b));
        RepoPeer onC = client(repoC, "client-c", 3, ws(c))) {
      DocHandle docA = onA.create();
      docA.change(tx -> tx.put(ObjId.ROOT, "title", "shared"));
      DocumentId id = docA.id();
      await(() -> holdsAll(b, id, hashes(docA)), "node b holds the document from Kafka");
      await(() -> holdsAll(c, id, hashes(docA)), "node c holds the document from Kafka");
      DocHandle docB = onB.find(id).join();
      DocHandle docC = onC.find(id).join();

      for (int i = 0; i < 10; i++) {
        int n = i;
        docA.change(tx -> tx.put(ObjId.ROOT, "a" + n, n));
        docB.change(tx -> tx.put(ObjId.ROOT, "b" + n, n));
        docC.change(tx -> tx.put(ObjId.ROOT, "c" + n, n));
      }

      await(
          () -> docA.heads().equals(docB.heads()) && docB.heads().equals(docC.heads()),
          "the three clients reach the same heads");
      assertEquals(docA.toJson(), docB.toJson());
      assertEquals(docA.toJson(), docC.toJson());
      assertEquals(31, (int) docA.read(document -> document.keys(ObjId.ROOT).size()));
      for (ConvergeServer node : List.of(a, b, c)) {
        await(() -> held(node, id).heads().equals(docA.heads()), "every node holds the heads");
      }
    }
  }

  @Test
  void failoverDialer_nodeStops_clientMovesToTheNextNodeAndKeepsWriting() {
    ClusterOptions options = newCluster();
    ConvergeServer a = node("a", options);
    try (ConvergeServer b = node("b", options);
        Repo repo = Repo.inMemory();
        RepoPeer moving = client(repo, "moving", 4, ws(a), ws(b))) {
      DocHandle doc = moving.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "before", 1));
      DocumentId id = doc.id();
      await(() -> holdsAll(b, id, hashes(doc)), "node b holds the first change");

      a.close();
      doc.change(tx -> tx.put(ObjId.ROOT, "after", 2));

      await(() -> holdsAll(b, id, hashes(doc)), "the change made after a stopped reaches b");
      assertEquals("{\"after\":2,\"before\":1}", held(b, id).toJson());
    } finally {
      a.close();
    }
  }

  @Test
  void producerRetryDuplicates_redeliveredRecords_changeNothing() throws Exception {
    ClusterOptions options = newCluster();
    ClusterNode backend = ClusterNode.join(options);
    try (ConvergeServer node =
            ConvergeServer.start(ServerOptions.defaults(dir.resolve("n"), 0), backend);
        Repo repo = Repo.inMemory();
        RepoPeer writer = client(repo, "writer", 5, ws(node))) {
      DocHandle doc = writer.create();
      for (int i = 0; i < 5; i++) {
        int n = i;
        doc.change(tx -> tx.put(ObjId.ROOT, "k" + n, n));
      }
      DocumentId id = doc.id();
      await(() -> holdsAll(node, id, hashes(doc)), "the node holds the five changes");
      ClusterMetrics metrics = backend.clusterMetrics();
      // The node holds a change before Kafka acknowledges it: wait for the five acknowledgements,
      // then until the node has read every record the topic holds.
      await(() -> metrics.producedChanges() == 5, "Kafka acknowledged the five changes");
      await(
          () -> metrics.consumedRecords() == recordsIn(options.changesTopic()),
          "the node read its own records");
      long ownRecords = metrics.consumedRecords();
      byte[] before = held(node, id).save();
      long changesBefore = metrics.consumedChanges();

      // What a producer retry after a lost acknowledgement would write, without idempotence.
      byte[] all = ChangeRecords.encode(doc.changes());
      byte[] last = ChangeRecords.encode(List.of(doc.changes().get(4)));
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", broker.bootstrapServers()),
              new StringSerializer(),
              new ByteArraySerializer())) {
        for (byte[] value : List.of(all, last, last)) {
          producer.send(new ProducerRecord<>(options.changesTopic(), id.toString(), value)).get();
        }
      }

      await(
          () -> metrics.consumedRecords() == ownRecords + 3, "the node read the three duplicates");
      assertEquals(changesBefore, metrics.consumedChanges(), "no change was new");
      assertArrayEquals(before, held(node, id).save());
    }
  }

  @Test
  void nodeRestart_resumesFromStoredOffsets_readsOnlyWhatItMissed() {
    ClusterOptions options = newCluster();
    try (ConvergeServer b = node("b", options);
        Repo repo = Repo.inMemory();
        RepoPeer writer = client(repo, "writer", 6, ws(b))) {
      DocHandle doc = writer.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "first", 1));
      DocumentId id = doc.id();
      ClusterNode firstRun = ClusterNode.join(options);
      try (ConvergeServer a =
          ConvergeServer.start(ServerOptions.defaults(dir.resolve("a"), 0), firstRun)) {
        await(() -> holdsAll(a, id, hashes(doc)), "node a holds the first change");
        await(() -> firstRun.clusterMetrics().consumerLag() == 0, "node a caught up");
      }
      for (int i = 0; i < 5; i++) {
        int n = i;
        doc.change(tx -> tx.put(ObjId.ROOT, "missed" + n, n));
      }
      await(() -> holdsAll(b, id, hashes(doc)), "node b holds the changes a missed");

      ClusterNode secondRun = ClusterNode.join(options);
      try (ConvergeServer a =
          ConvergeServer.start(ServerOptions.defaults(dir.resolve("a"), 0), secondRun)) {
        await(() -> holdsAll(a, id, hashes(doc)), "node a catches up after its restart");
        assertTrue(
            secondRun.clusterMetrics().consumedRecords() <= 5,
            "read "
                + secondRun.clusterMetrics().consumedRecords()
                + " records: no more than the five it missed");
        assertEquals(5, secondRun.clusterMetrics().consumedChanges());
      }
    }
  }

  @Test
  void nodeKilledMidStream_everyChangeItAcknowledged_isOnTheOtherNode() throws Exception {
    ClusterOptions options = newCluster();
    Process killed = startChildNode(dir.resolve("k"), options);
    try (ConvergeServer b = node("b", options);
        Repo writerRepo = Repo.inMemory();
        Repo readerRepo = Repo.inMemory()) {
      int port = childPort(killed);
      RepoPeer writer = client(writerRepo, "writer", 7, ws(port));
      RepoPeer reader = client(readerRepo, "reader", 8, ws(port));
      DocHandle doc = writer.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "n", 0));
      DocumentId id = doc.id();
      // Once b has it from Kafka, the killed node has it too.
      await(() -> holdsAll(b, id, hashes(doc)), "node b holds the document");
      DocHandle seen = reader.find(id).join();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread stream =
          new Thread(
              () -> {
                for (int n = 1; writing.get(); n++) {
                  int value = n;
                  doc.change(tx -> tx.put(ObjId.ROOT, "n", value));
                  sleepMillis(5);
                }
              });
      stream.start();
      await(() -> seen.changes().size() >= 20, "the reader saw 20 changes through the node");

      killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Set<ChangeHash> acknowledged = hashes(seen);
      writing.set(false);
      stream.join();

      // Told to a peer means produced to Kafka: node b gets them without the writer's help.
      await(() -> holdsAll(b, id, acknowledged), "node b holds all the reader was told of");
      reader.close();

      // The writer, moved to b, brings the rest.
      writer.connect(dialer(ws(b)));
      await(() -> holdsAll(b, id, hashes(doc)), "node b holds every change of the writer");
      writer.close();
    } finally {
      killed.destroyForcibly();
    }
  }

  @Test
  void brokerRestart_nodesKeepServingAndResume_healthTellsReachability() throws Exception {
    ClusterOptions options = newCluster().withProduceTimeout(Duration.ofSeconds(90));
    try (ConvergeServer a = node("a", options);
        ConvergeServer b = node("b", options);
        Repo repoA = Repo.inMemory();
        Repo repoB = Repo.inMemory();
        RepoPeer onA = client(repoA, "client-a", 9, ws(a));
        RepoPeer onB = client(repoB, "client-b", 10, ws(b))) {
      DocHandle docA = onA.create();
      docA.change(tx -> tx.put(ObjId.ROOT, "before", "yes"));
      DocumentId id = docA.id();
      await(() -> holdsAll(b, id, hashes(docA)), "node b holds the document");
      DocHandle docB = onB.find(id).join();
      assertTrue(health(a).contains("\"kafka\":\"reachable\""), health(a));

      broker.stop(false);
      assertTrue(health(a).contains("\"status\":\"degraded\""), health(a));
      assertTrue(health(a).contains("\"kafka\":\"unreachable\""), health(a));
      docA.change(tx -> tx.put(ObjId.ROOT, "during", "a"));
      docB.change(tx -> tx.put(ObjId.ROOT, "during-b", "b"));
      // Each node still serves what it holds.
      assertEquals(id, onB.find(id).join().id());
      broker.relaunch();

      await(
          () -> docA.heads().equals(docB.heads()) && docA.changes().size() == 3,
          "both clients converge once the broker is back");
      assertTrue(health(b).contains("\"kafka\":\"reachable\""), health(b));
    }
  }

  private static long recordsIn(String topic) {
    return recordsIn(broker, topic);
  }

  /** Records in every partition of {@code topic}: the sum of its end offsets. */
  static long recordsIn(BrokerProcess broker, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      long total = 0;
      for (long end : consumer.endOffsets(partitions).values()) {
        total += end;
      }
      return total;
    }
  }

  private static String health(ConvergeServer node) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static Process startChildNode(Path data, ClusterOptions options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
    command.add(ClusterNodeMain.class.getName());
    command.addAll(List.of(data.toString(), options.bootstrapServers(), options.clusterName()));
    return new ProcessBuilder(command)
        .redirectError(data.resolveSibling(data.getFileName() + ".log").toFile())
        .start();
  }

  private static int childPort(Process child) throws IOException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.startsWith("listening ")) {
        return Integer.parseInt(line.substring("listening ".length()).trim());
      }
    }
    throw new IOException("the node exited before listening");
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
