package dev.converge.cluster;

import static dev.converge.cluster.ClusterFixture.await;
import static dev.converge.cluster.ClusterFixture.client;
import static dev.converge.cluster.ClusterFixture.hashes;
import static dev.converge.cluster.ClusterFixture.ws;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.broker.BrokerProcess;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.net.client.RepoPeer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How nodes recover: a new node from the snapshots topic, a restarted node with changes that waited
 * for their dependencies, and a node whose client writes while Kafka is away. On the broker the
 * cluster test classes share ({@link TestBroker}); every wait is a bounded poll.
 */
class ClusterRecoveryIT {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  @TempDir Path dir;

  private static BrokerProcess broker() {
    return TestBroker.get();
  }

  private static ClusterOptions newCluster() {
    return ClusterOptions.of(broker().bootstrapServers())
        .withClusterName("rec" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet())
        .withPartitions(4);
  }

  private ConvergeServer node(String name, ClusterNode backend) {
    return ConvergeServer.start(ServerOptions.defaults(dir.resolve(name), 0), backend);
  }

  private static boolean holdsAll(ConvergeServer node, DocumentId id, Set<ChangeHash> wanted) {
    return node.repo().find(id).map(handle -> hashes(handle).containsAll(wanted)).orElse(false);
  }

  @Test
  void newNode_afterManyChanges_catchesUpFromSnapshotsReadingFewerRecords() {
    ClusterOptions options = newCluster().withSnapshotInterval(Duration.ofMillis(300));
    int documents = 3;
    int changesEach = 30;
    try (ConvergeServer a = node("a", ClusterNode.join(options));
        ConvergeServer b = node("b", ClusterNode.join(options));
        ConvergeServer c = node("c", ClusterNode.join(options));
        Repo repo = Repo.inMemory();
        RepoPeer writer = client(repo, "writer", 21, ws(a))) {
      List<DocHandle> docs = new ArrayList<>();
      for (int d = 0; d < documents; d++) {
        DocHandle doc = writer.create();
        docs.add(doc);
        for (int i = 0; i < changesEach; i++) {
          int n = i;
          doc.change(tx -> tx.put(ObjId.ROOT, "k" + n, n));
        }
      }
      for (DocHandle doc : docs) {
        for (ConvergeServer node : List.of(a, b, c)) {
          await(() -> holdsAll(node, doc.id(), hashes(doc)), "every node holds every change");
        }
      }
      long total = ClusterIT.recordsIn(broker(), options.changesTopic());
      await(
          () -> marksCover(options, endOffsets(options.changesTopic())),
          "the snapshot marks cover every record of the changes topic");

      ClusterNode lateBackend = ClusterNode.join(options);
      try (ConvergeServer late = node("late", lateBackend);
          Repo lateRepo = Repo.inMemory();
          RepoPeer onLate = client(lateRepo, "on-late", 22, ws(late))) {
        for (DocHandle doc : docs) {
          await(() -> holdsAll(late, doc.id(), hashes(doc)), "the new node holds every change");
        }
        ClusterMetrics metrics = lateBackend.clusterMetrics();
        System.out.printf(
            "new node: %d of %d change records read, %d snapshot records%n",
            metrics.consumedRecords(), total, metrics.snapshotRecordsRead());
        assertTrue(
            metrics.consumedRecords() < total,
            "the new node read "
                + metrics.consumedRecords()
                + " of the "
                + total
                + " change records (and "
                + metrics.snapshotRecordsRead()
                + " snapshot records)");
        assertTrue(metrics.snapshotRecordsRead() >= documents, "it read the snapshots");

        // It serves and converges like any node.
        DocHandle moved = onLate.find(docs.get(0).id()).join();
        moved.change(tx -> tx.put(ObjId.ROOT, "late", "yes"));
        await(
            () -> holdsAll(a, moved.id(), hashes(moved)),
            "a change made through the new node reaches node a");
        await(
            () -> docs.get(0).heads().equals(moved.heads()),
            "the writer on node a converges with the client of the new node");
      }
    }
  }

  @Test
  void nodeRestart_changeWaitingForItsDependency_isReadAgainFromKafka() throws Exception {
    ClusterOptions options = newCluster();
    DocHandle source;
    Change first;
    Change second;
    try (Repo repo = Repo.inMemory()) {
      source = repo.create();
      source.change(tx -> tx.put(ObjId.ROOT, "first", 1));
      source.change(tx -> tx.put(ObjId.ROOT, "second", 2));
      first = source.changes().get(0);
      second = source.changes().get(1);
    }
    DocumentId id = source.id();
    DocumentId other = DocumentId.random(new SplittableRandom(25));
    ClusterNode firstRun = ClusterNode.join(options);
    try (ConvergeServer node = node("n", firstRun)) {
      // The second change before the first: it waits in memory for its dependency. Then records
      // of another document, so the node's offsets move on past it.
      produce(options, id, List.of(second));
      for (int i = 0; i < 3; i++) {
        try (Repo scratch = Repo.inMemory()) {
          DocHandle elsewhere = scratch.findOrCreate(other);
          int n = i;
          elsewhere.change(tx -> tx.put(ObjId.ROOT, "n", n));
          produce(options, other, elsewhere.changes());
        }
      }
      await(() -> firstRun.clusterMetrics().consumedRecords() == 4, "the node read 4 records");
      assertFalse(node.repo().find(id).map(h -> h.changes().size() > 0).orElse(false));
    }
    produce(options, id, List.of(first));

    ClusterNode secondRun = ClusterNode.join(options);
    try (ConvergeServer node = node("n", secondRun)) {
      await(
          () -> node.repo().find(id).map(h -> h.changes().size() == 2).orElse(false),
          "the restarted node holds both changes, the waiting one read again from Kafka");
      assertEquals("{\"first\":1,\"second\":2}", node.repo().find(id).orElseThrow().toJson());
    }
  }

  @Test
  void brokerAway_pastTheProduceTimeout_changeIsNeitherAppliedNorForwardedUntilKafkaHasIt()
      throws Exception {
    ClusterOptions options = newCluster().withProduceTimeout(Duration.ofSeconds(2));
    ClusterNode backendA = ClusterNode.join(options);
    try (ConvergeServer a = node("a", backendA);
        ConvergeServer b = node("b", ClusterNode.join(options));
        Repo writerRepo = Repo.inMemory();
        Repo readerRepo = Repo.inMemory();
        RepoPeer writer = client(writerRepo, "writer", 23, ws(a));
        RepoPeer reader = client(readerRepo, "reader", 24, ws(a))) {
      DocHandle doc = writer.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "before", 1));
      DocumentId id = doc.id();
      await(() -> holdsAll(b, id, hashes(doc)), "node b holds the document");
      DocHandle seen = reader.find(id).join();
      await(() -> seen.heads().equals(doc.heads()), "the reader on node a has it");

      broker().stop(false);
      try {
        doc.change(tx -> tx.put(ObjId.ROOT, "during", 2));
        ChangeHash during = doc.heads().get(0);
        await(
            () -> backendA.clusterMetrics().produceFailures() >= 1,
            "node a counts a failed send once the produce timeout passed");
        // Two produce timeouts more: the node sends the change again and fails again meanwhile.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < until) {
          assertFalse(hashes(a.repo().find(id).orElseThrow()).contains(during), "applied on a");
          assertFalse(hashes(seen).contains(during), "forwarded to the reader");
          Thread.sleep(50);
        }
      } finally {
        broker().relaunch();
      }
      await(
          () -> holdsAll(b, id, hashes(doc)), "the change sent again reaches node b through Kafka");
      await(() -> seen.heads().equals(doc.heads()), "and the reader on node a");
    }
  }

  private static void produce(ClusterOptions options, DocumentId id, List<Change> changes)
      throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", options.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  options.changesTopic(), id.toString(), ChangeRecords.encode(changes)))
          .get();
    }
  }

  private static Map<Integer, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker().bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      Map<Integer, Long> ends = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, end) -> ends.put(tp.partition(), end));
      return ends;
    }
  }

  /** Whether the snapshots topic holds, for every partition with records, a mark at its end. */
  private static boolean marksCover(ClusterOptions options, Map<Integer, Long> ends) {
    Map<Integer, Long> marks = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker().bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(options.snapshotsTopic())
          .forEach(
              info ->
                  partitions.add(new TopicPartition(options.snapshotsTopic(), info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> snapshotEnds = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream()
              .anyMatch(p -> consumer.position(p) < snapshotEnds.getOrDefault(p, 0L))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          SnapshotRecords.markPartition(record.key())
              .ifPresent(
                  p ->
                      SnapshotRecords.decodeMark(record.value())
                          .ifPresent(mark -> marks.merge(p, mark, Math::max)));
        }
      }
    }
    for (Map.Entry<Integer, Long> end : ends.entrySet()) {
      if (end.getValue() > 0 && marks.getOrDefault(end.getKey(), 0L) < end.getValue()) {
        return false;
      }
    }
    return true;
  }
}
