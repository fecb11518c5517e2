package dev.converge.cluster;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the changes a node accepts to the changes topic ({@link KafkaProducers}: idempotent,
 * {@code acks=all}). Sends do not wait: records linger {@value #LINGER_MILLIS} ms so that the
 * messages of many clients share a batch, and up to five batches per broker are in flight, in order
 * per partition. A send not acknowledged within the produce timeout fails (the producer retries
 * until then).
 *
 * <p>Thread-safety: safe for use by many threads (as {@link KafkaProducer} is).
 */
final class ChangeProducer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeProducer.class);
  static final int LINGER_MILLIS = 2;

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final long timeoutMillis;
  private final ClusterMetrics metrics;

  ChangeProducer(ClusterOptions options, String clientId, ClusterMetrics metrics) {
    this.topic = options.changesTopic();
    this.timeoutMillis = options.produceTimeout().toMillis();
    this.metrics = metrics;
    int deliveryMillis = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
    this.producer =
        KafkaProducers.create(
            options,
            clientId,
            LINGER_MILLIS,
            Map.of(
                "request.timeout.ms",
                Math.min(deliveryMillis, 10_000),
                "delivery.timeout.ms",
                Math.max(deliveryMillis, Math.min(deliveryMillis, 10_000) + LINGER_MILLIS),
                "max.block.ms",
                deliveryMillis));
    try {
      // Fetches the topic's metadata now, so that the first client's send does not wait for it.
      var unused = producer.partitionsFor(topic);
    } catch (KafkaException e) {
      log.warn("no metadata of {} yet: {}", topic, e.toString());
    }
  }

  /**
   * Sends {@code value} as the record of {@code id}, without waiting.
   *
   * @return completes with the nanoseconds Kafka took to acknowledge, or exceptionally if it did
   *     not within the produce timeout
   */
  CompletableFuture<Long> send(DocumentId id, byte[] value) {
    CompletableFuture<Long> acked = new CompletableFuture<>();
    long started = System.nanoTime();
    try {
      var unused =
          producer.send(
              new ProducerRecord<>(topic, id.toString(), value),
              (metadata, failure) -> {
                if (failure == null) {
                  acked.complete(System.nanoTime() - started);
                } else {
                  acked.completeExceptionally(failure);
                }
              });
    } catch (KafkaException | IllegalStateException e) {
      acked.completeExceptionally(e); // closed, or the record could not be serialized
    }
    return acked;
  }

  /**
   * Produces {@code changes} of {@code id} as one record and waits for the acknowledgement.
   *
   * @throws ConvergeException of kind IO if Kafka did not acknowledge within the produce timeout
   */
  void produce(DocumentId id, List<Change> changes) {
    try {
      long nanos =
          send(id, ChangeRecords.encode(changes))
              .get(timeoutMillis + Duration.ofSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
      metrics.produced(changes.size(), nanos);
    } catch (ExecutionException | TimeoutException e) {
      metrics.produceFailed();
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "Kafka did not acknowledge " + changes.size() + " change(s) of " + id + ": " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.produceFailed();
      throw new ConvergeException(
          ConvergeException.Kind.IO, "interrupted waiting for Kafka's acknowledgement", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
