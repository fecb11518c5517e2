package dev.converge.cluster;

import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the snapshots of the partitions of the changes topic this node is in charge of. Which
 * node publishes a partition's snapshots is Kafka's choice: every node joins one consumer group on
 * the changes topic (its partitions paused: the group only shares them out), and each publishes for
 * the partitions the group assigns it. One publisher per partition keeps the snapshots topic
 * consistent (a snapshot never covers less than the mark after it claims), and a node that dies
 * hands its partitions to the others at the next rebalance. Rounds run on this thread, which is
 * also the one that gives partitions up, so a node never publishes a partition it no longer holds.
 *
 * <p>A round, every {@link ClusterOptions#snapshotInterval}: for each partition whose covered
 * offset moved, the snapshot of every document with records since the last round (of every document
 * of the partition, in the first round after the partition was assigned), each with the covered
 * offset read before the documents were saved; once Kafka acknowledged them all, the partition's
 * mark. A new node then needs only the records after the mark.
 *
 * <p>Thread-safety: {@link #run} on one thread of its own; {@link #close} from any.
 */
final class SnapshotPublisher implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long ACK_TIMEOUT_SECONDS = 60;

  private final ClusterOptions options;
  private final Repo repo;
  private final IntFunction<@Nullable PartitionProgress> progress;
  private final ClusterMetrics metrics;
  private final KafkaConsumer<byte[], byte[]> group;
  private final KafkaProducer<String, byte[]> producer;
  private final Set<Integer> owned = new HashSet<>();
  private final Set<Integer> fresh = new HashSet<>();
  private final Map<Integer, Long> marked = new HashMap<>();
  private volatile boolean closed;

  SnapshotPublisher(
      ClusterOptions options,
      String clientId,
      Repo repo,
      IntFunction<@Nullable PartitionProgress> progress,
      ClusterMetrics metrics) {
    this.options = options;
    this.repo = repo;
    this.progress = progress;
    this.metrics = metrics;
    this.group =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                options.bootstrapServers(),
                "client.id",
                clientId + "-snapshots",
                "group.id",
                options.snapshotGroup(),
                "enable.auto.commit",
                "false",
                "session.timeout.ms",
                10_000,
                "heartbeat.interval.ms",
                1_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.producer =
        KafkaProducers.create(
            options, clientId + "-snapshots", 20, Map.of("max.request.size", 16 * 1024 * 1024));
  }

  @Override
  public void run() {
    try {
      group.subscribe(List.of(options.changesTopic()), new Assignments());
      long nextRound = System.nanoTime() + options.snapshotInterval().toNanos();
      while (!closed) {
        var unused = group.poll(POLL);
        if (System.nanoTime() - nextRound >= 0) {
          round();
          nextRound = System.nanoTime() + options.snapshotInterval().toNanos();
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        log.error("the snapshot publisher stopped: {}", e.toString(), e);
      }
    } catch (RuntimeException e) {
      log.error("the snapshot publisher stopped: {}", e.toString(), e);
    } finally {
      group.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      producer.close(Duration.ofSeconds(5));
    }
  }

  private final class Assignments implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      group.pause(partitions);
      for (TopicPartition partition : partitions) {
        owned.add(partition.partition());
        fresh.add(partition.partition());
      }
      log.info("publishing the snapshots of partitions {}", owned);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        owned.remove(partition.partition());
        fresh.remove(partition.partition());
      }
    }
  }

  /** Publishes what changed in every partition this node holds; a failure waits for next round. */
  private void round() {
    for (int partition : List.copyOf(owned)) {
      PartitionProgress applied = progress.apply(partition);
      if (applied == null) {
        continue; // the consumer has not started on it yet
      }
      try {
        publish(partition, applied);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // The changed documents were drained: the next round publishes the whole partition.
        fresh.add(partition);
        log.warn("snapshots of partition {} not published: {}", partition, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
        return;
      }
    }
  }

  private void publish(int partition, PartitionProgress applied)
      throws ExecutionException, TimeoutException, InterruptedException {
    long covered = applied.coveredOffset();
    boolean first = fresh.contains(partition);
    if (!first && covered <= marked.getOrDefault(partition, -1L)) {
      return;
    }
    List<DocumentId> changed = applied.drainChanged();
    Collection<DocumentId> documents = first ? documentsOf(partition) : changed;
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (DocumentId id : documents) {
      Optional<DocHandle> handle = repo.find(id);
      if (handle.isPresent()) {
        byte[] value = SnapshotRecords.snapshot(partition, covered, handle.get().save());
        sent.add(
            producer.send(new ProducerRecord<>(options.snapshotsTopic(), id.toString(), value)));
      }
    }
    for (Future<RecordMetadata> one : sent) {
      one.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    producer
        .send(
            new ProducerRecord<>(
                options.snapshotsTopic(),
                SnapshotRecords.markKey(partition),
                SnapshotRecords.mark(covered)))
        .get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    fresh.remove(partition);
    marked.put(partition, covered);
    metrics.snapshotsPublished(sent.size());
  }

  /** The documents this node holds whose records go to {@code partition}. */
  private List<DocumentId> documentsOf(int partition) {
    int partitions = group.partitionsFor(options.changesTopic()).size();
    List<DocumentId> found = new ArrayList<>();
    for (DocumentId id : repo.list()) {
      if (partitionOf(id, partitions) == partition) {
        found.add(id);
      }
    }
    return found;
  }

  /** The partition Kafka's default partitioner gives a record keyed {@code id}. */
  static int partitionOf(DocumentId id, int partitions) {
    byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  @Override
  public void close() {
    closed = true;
    group.wakeup();
  }
}
