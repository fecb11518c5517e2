/**
 * Sync server nodes that share their documents through Apache Kafka ({@code converge serve
 * --kafka}). {@link dev.converge.cluster.ClusterNode} is the server's backend: a change a client
 * sends is produced to the topic {@code converge.NAME.changes} (keyed by document ID, idempotent,
 * {@code acks=all}) before any peer hears of it ({@code ClusterDocuments}, {@code ChangeProducer});
 * every node consumes every partition into its own SQLite repository, storing each record's changes
 * with the partition's next offset in one transaction ({@code ChangeConsumer}), so a restarted node
 * resumes where it stopped. Changes applied from Kafka are not produced again ({@code FromKafka}).
 * {@code ClusterTopics} creates the changes topic and a compacted {@code converge.NAME.snapshots}
 * topic, to which nothing is written yet; {@code ClusterMetrics} adds the consumer lag and produce
 * latency to {@code /metrics}.
 */
@NullMarked
package dev.converge.cluster;

import org.jspecify.annotations.NullMarked;
