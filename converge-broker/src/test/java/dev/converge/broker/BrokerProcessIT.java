package dev.converge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * How: starts a real broker in a child JVM (BrokerProcess), writes a record with acks=all, kills
 * the broker with SIGKILL, starts it again on the same data directory, and reads the record back.
 * Then checks that close() stops the child and deletes its data.
 */
class BrokerProcessIT {
  @Test
  void restartAfterKill_acknowledgedRecord_isStillThere() throws Exception {
    Path dir = Path.of("target", "kafka-broker-it-" + ProcessHandle.current().pid());
    BrokerProcess broker = BrokerProcess.start(dir);
    long firstPid = broker.pid();
    try (broker) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
      }
      Properties producerConfig = new Properties();
      producerConfig.put("bootstrap.servers", broker.bootstrapServers());
      producerConfig.put("acks", "all");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "doc", "change-1")).get();
      }

      broker.restart(true);

      assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false));
      assertEquals(List.of("change-1"), readAll(broker.bootstrapServers()));
    }
    assertFalse(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertTrue(Files.notExists(dir));
  }

  private static List<String> readAll(String bootstrap) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition("t", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
