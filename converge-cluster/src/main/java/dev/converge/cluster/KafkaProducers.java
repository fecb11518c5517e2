package dev.converge.cluster;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producers of a node, made one way: idempotent ({@code enable.idempotence}: a retry after a
 * lost answer is not written twice, and a partition keeps the order of its sends), {@code acks=all}
 * (every in-sync replica has a record before it is acknowledged), lz4-compressed batches.
 */
final class KafkaProducers {
  private KafkaProducers() {}

  /**
   * A producer of string-keyed records with those settings, {@code lingerMillis} of batching, and
   * {@code more} on top.
   */
  static KafkaProducer<String, byte[]> create(
      ClusterOptions options, String clientId, int lingerMillis, Map<String, Object> more) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", options.bootstrapServers());
    config.put("client.id", clientId);
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("linger.ms", lingerMillis);
    config.put("compression.type", "lz4");
    config.putAll(more);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }
}
