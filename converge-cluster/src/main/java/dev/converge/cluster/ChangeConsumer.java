package dev.converge.cluster;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.LoadOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the changes topic and applies each record to the node's repository:
 * every node holds every document, so a client that moves to another node finds its documents
 * there, up to date. Each record's changes and the partition's offset are stored in one SQLite
 * transaction ({@link DocHandle#applyConsumed}), and a restart resumes from the stored offsets:
 * nothing skipped, and a record applied twice (a redelivery, or a node's own change coming back)
 * adds nothing, since a change is named by its hash. The stored offset never passes a record whose
 * changes wait for missing dependencies ({@link PartitionProgress}). Before consuming, the node
 * loads the snapshots that cover more than it stored ({@link SnapshotLoader}) and starts each
 * partition at its snapshot mark: a new node does not read the topic from the start.
 *
 * <p>No consumer group: each node needs all partitions, and its position lives in its own store,
 * not in Kafka. A record whose key is not a document ID or whose value the engine refuses is logged
 * and passed over (its offset stored), so one bad record cannot stop a node.
 *
 * <p>Thread-safety: {@link #run} on one thread of its own; {@link #close} from any.
 */
final class ChangeConsumer implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeConsumer.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Repo repo;
  private final Storage storage;
  private final ClusterMetrics metrics;
  private final Consumer<DocumentId> changed;
  private final ClusterOptions options;
  private final String clientId;
  private final Map<Integer, PartitionProgress> progress = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param changed told of each document that gained changes, after they are applied
   */
  ChangeConsumer(
      ClusterOptions options,
      String clientId,
      Repo repo,
      Storage storage,
      ClusterMetrics metrics,
      Consumer<DocumentId> changed) {
    this.topic = options.changesTopic();
    this.options = options;
    this.clientId = clientId;
    this.repo = repo;
    this.storage = storage;
    this.metrics = metrics;
    this.changed = changed;
    this.consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                options.bootstrapServers(),
                "client.id",
                clientId,
                "enable.auto.commit",
                "false",
                "auto.offset.reset",
                "earliest",
                "max.poll.records",
                500),
            new StringDeserializer(),
            new ByteArrayDeserializer());
  }

  /** The name under which the store keeps the next offset of {@code partition}. */
  static String offsetName(String topic, int partition) {
    return "kafka:" + topic + ":" + partition;
  }

  @Override
  public void run() {
    try {
      assignFromStoredOffsets();
      while (!closed) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) {
          apply(record);
        }
        for (TopicPartition partition : records.partitions()) {
          storeCovered(partition.partition());
        }
        metrics.polled(lag(), System.nanoTime());
      }
    } catch (WakeupException e) {
      if (!closed) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("the Kafka consumer stopped: {}", e.toString(), e);
      throw e;
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void assignFromStoredOffsets() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMinutes(10));
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    consumer.assign(partitions);
    Map<Integer, Long> stored = new HashMap<>();
    for (TopicPartition partition : partitions) {
      stored.put(
          partition.partition(), storage.consumerOffset(offsetName(topic, partition.partition())));
    }
    Map<Integer, Long> marks = SnapshotLoader.load(options, clientId, repo, stored, metrics);
    for (TopicPartition partition : partitions) {
      long from = stored.getOrDefault(partition.partition(), 0L);
      long mark = marks.getOrDefault(partition.partition(), 0L);
      if (mark > from) {
        // The snapshots loaded are durable: the offset may say so.
        storage.commitConsumerOffset(offsetName(topic, partition.partition()), mark).join();
        from = mark;
      }
      progress.put(partition.partition(), new PartitionProgress(from));
      consumer.seek(partition, from);
    }
    log.info(
        "consuming {} partitions of {} from stored offsets and snapshot marks",
        partitions.size(),
        topic);
  }

  /** How far the node applied {@code partition}; null before the consumer started on it. */
  @Nullable PartitionProgress progress(int partition) {
    return progress.get(partition);
  }

  /** Stores the partition's covered offset at the end of a batch, if it moved. */
  private void storeCovered(int partition) {
    PartitionProgress applied = progress.get(partition);
    if (applied != null && applied.storedUpTo(applied.coveredOffset())) {
      storeOffset(offsetName(topic, partition), applied.coveredOffset());
    }
  }

  private long lag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isEmpty()) {
        return -1;
      }
      total += lag.getAsLong();
    }
    return total;
  }

  /**
   * Applies one record. The offset stored with its changes does not include the record itself
   * (whether its changes wait for missing dependencies is known only afterwards); the end of the
   * batch stores the offset past it, unless changes still wait ({@link PartitionProgress}).
   */
  private void apply(ConsumerRecord<String, byte[]> record) {
    String name = offsetName(topic, record.partition());
    PartitionProgress applied =
        Objects.requireNonNull(progress.get(record.partition()), "assigned partition");
    long storable = applied.storable(record.offset());
    DocumentId id;
    try {
      id = DocumentId.parse(record.key() == null ? "" : record.key());
    } catch (RuntimeException e) {
      log.warn("skipping record {}@{}: its key is no document ID", name, record.offset());
      applied.passed(record.offset());
      return;
    }
    List<Change> added;
    FromKafka.set(true);
    try {
      DocHandle handle = repo.findOrPrepare(id);
      added = handle.applyConsumed(record.value(), LoadOptions.DEFAULT, name, storable);
      // Whether this consumer added them or not (a node applies its own clients' changes before
      // it reads them back), the document has the record's changes now: its next snapshot must be
      // taken, or a mark past this record would claim changes no snapshot holds.
      applied.applied(id, record.offset(), handle.hasWaitingChanges(), true);
    } catch (PurgedDocumentException e) {
      applied.passed(record.offset());
      return;
    } catch (ConvergeException e) {
      log.warn("skipping record {}@{} of {}: {}", name, record.offset(), id, e.getMessage());
      applied.passed(record.offset());
      return;
    } finally {
      FromKafka.set(false);
    }
    metrics.consumed(added.size());
    if (!added.isEmpty()) {
      changed.accept(id);
    }
  }

  /**
   * Stores an offset alone; a failed write is logged, and the records after the offset stored
   * before are then read again after a restart.
   */
  private void storeOffset(String name, long next) {
    var unused =
        storage
            .commitConsumerOffset(name, next)
            .whenComplete(
                (done, failure) -> {
                  if (failure != null) {
                    log.warn("cannot store offset {} of {}: {}", next, name, failure.toString());
                  }
                });
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
  }
}
