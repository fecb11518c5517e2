package dev.converge.cluster;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends the changes a node accepts from its clients to the changes topic, and waits for Kafka's
 * acknowledgement: idempotent ({@code enable.idempotence}: a retry after a lost answer is not
 * written twice), {@code acks=all} (every in-sync replica has it), no lingering (a client waits for
 * this one record). While the brokers are away the producer keeps retrying, up to the produce
 * timeout.
 *
 * <p>Thread-safety: safe for use by many threads (as {@link KafkaProducer} is).
 */
final class ChangeProducer implements AutoCloseable {
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
        new KafkaProducer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                options.bootstrapServers(),
                "client.id",
                clientId,
                "acks",
                "all",
                "enable.idempotence",
                "true",
                "linger.ms",
                "0",
                "request.timeout.ms",
                Math.min(deliveryMillis, 10_000),
                "delivery.timeout.ms",
                deliveryMillis,
                "max.block.ms",
                deliveryMillis,
                "compression.type",
                "lz4"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /**
   * Produces {@code changes} of {@code id} as one record and waits for the acknowledgement.
   *
   * @throws ConvergeException of kind IO if Kafka did not acknowledge within the produce timeout
   */
  void produce(DocumentId id, List<Change> changes) {
    long started = System.nanoTime();
    try {
      producer
          .send(new ProducerRecord<>(topic, id.toString(), ChangeRecords.encode(changes)))
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      metrics.produced(changes.size(), System.nanoTime() - started);
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

  /**
   * Produces the change entries of a client's sync message as one record, and waits for the
   * acknowledgement.
   *
   * @return the nanoseconds Kafka took to acknowledge
   * @throws ConvergeException of kind IO if Kafka did not acknowledge within the produce timeout
   */
  long produceEntries(DocumentId id, List<byte[]> entries) {
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    for (byte[] entry : entries) {
      joined.writeBytes(entry);
    }
    long started = System.nanoTime();
    try {
      producer
          .send(new ProducerRecord<>(topic, id.toString(), joined.toByteArray()))
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      return System.nanoTime() - started;
    } catch (ExecutionException | TimeoutException e) {
      metrics.produceFailed();
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "Kafka did not acknowledge a client's changes to " + id + " in time: " + e,
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
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
