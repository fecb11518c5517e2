package dev.converge.cluster;

import dev.converge.core.ConvergeException;
import dev.converge.core.LoadOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.PurgedDocumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the snapshots topic to its end when a node starts, and loads into the repository every
 * snapshot that covers more of its partition than the node has stored. Returns each partition's
 * mark: the node then consumes the changes topic from the mark (or from its stored offset, if that
 * is further), not from the start. A snapshot merged into a document the node already holds adds
 * only what it lacked, changes being named by their hashes.
 *
 * <p>Thread-safety: one call at a time, from the consumer's thread.
 */
final class SnapshotLoader {
  private static final Logger log = LoggerFactory.getLogger(SnapshotLoader.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private SnapshotLoader() {}

  /**
   * Loads the snapshots that cover more than {@code stored} (the node's stored offset per
   * partition) and waits until they are durable.
   *
   * @return each partition's mark, for partitions that have one
   */
  static Map<Integer, Long> load(
      ClusterOptions options,
      String clientId,
      Repo repo,
      Map<Integer, Long> stored,
      ClusterMetrics metrics) {
    Map<Integer, Long> marks = new HashMap<>();
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                options.bootstrapServers(),
                "client.id",
                clientId + "-snapshot-loader",
                "enable.auto.commit",
                "false",
                "auto.offset.reset",
                "earliest",
                "max.partition.fetch.bytes",
                16 * 1024 * 1024),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info :
          consumer.partitionsFor(options.snapshotsTopic(), Duration.ofMinutes(10))) {
        partitions.add(new TopicPartition(options.snapshotsTopic(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (!reachedEnds(consumer, ends)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          metrics.snapshotRecordRead();
          read(record, repo, stored, marks, durable);
        }
      }
    }
    for (CompletableFuture<Void> one : durable) {
      one.join();
    }
    log.info("read the snapshots topic: marks {}", marks);
    return marks;
  }

  private static boolean reachedEnds(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void read(
      ConsumerRecord<String, byte[]> record,
      Repo repo,
      Map<Integer, Long> stored,
      Map<Integer, Long> marks,
      List<CompletableFuture<Void>> durable) {
    String key = record.key() == null ? "" : record.key();
    byte[] value = record.value() == null ? new byte[0] : record.value();
    Optional<Integer> markOf = SnapshotRecords.markPartition(key);
    if (markOf.isPresent()) {
      SnapshotRecords.decodeMark(value)
          .ifPresent(mark -> marks.merge(markOf.get(), mark, Math::max));
      return;
    }
    Optional<SnapshotRecords.Snapshot> snapshot = SnapshotRecords.decodeSnapshot(value);
    if (snapshot.isEmpty()) {
      log.warn("skipping snapshot record {}: not a snapshot of version 1", record.offset());
      return;
    }
    if (snapshot.get().coveredOffset() <= stored.getOrDefault(snapshot.get().partition(), 0L)) {
      return; // the node already holds all it covers
    }
    FromKafka.set(true);
    try {
      DocHandle handle = repo.findOrPrepare(DocumentId.parse(key));
      var unused = handle.applyChunks(snapshot.get().document(), LoadOptions.DEFAULT);
      durable.add(handle.whenDurable());
    } catch (PurgedDocumentException e) {
      // Gone from this node on purpose.
    } catch (ConvergeException | IllegalArgumentException e) {
      log.warn("skipping the snapshot of {}: {}", key, e.getMessage());
    } finally {
      FromKafka.set(false);
    }
  }
}
