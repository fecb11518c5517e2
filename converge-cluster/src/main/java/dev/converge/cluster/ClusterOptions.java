package dev.converge.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a node joins a cluster.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}: {@code HOST:PORT[,HOST:PORT...]}
 * @param clusterName names the cluster's topics ({@code converge.NAME.changes}, {@code
 *     converge.NAME.snapshots}); letters, digits, {@code .}, {@code _} and {@code -}
 * @param partitions partitions of the changes topic when a node creates it, 1 or more
 * @param produceTimeout how long one send of a client's changes may wait for Kafka's
 *     acknowledgement (the producer retries meanwhile); the node then counts a failure and sends
 *     them again, and the client's message waits, unapplied, until Kafka has them
 * @param snapshotInterval how often the node that publishes the snapshots of a partition of the
 *     changes topic publishes those of the documents that changed since its last round
 */
public record ClusterOptions(
    String bootstrapServers,
    String clusterName,
    int partitions,
    Duration produceTimeout,
    Duration snapshotInterval) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern SERVERS =
      Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+:[0-9]{1,5}(,[A-Za-z0-9.:\\[\\]_-]+:[0-9]{1,5})*");

  /**
   * @throws IllegalArgumentException if a setting is out of range
   */
  public ClusterOptions {
    if (!SERVERS.matcher(bootstrapServers).matches()) {
      throw new IllegalArgumentException(
          "Kafka servers must be HOST:PORT[,HOST:PORT...], found '" + bootstrapServers + "'");
    }
    if (!NAME.matcher(clusterName).matches()) {
      throw new IllegalArgumentException(
          "a cluster name is 1 to 100 letters, digits, '.', '_' or '-', found '"
              + clusterName
              + "'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, found " + partitions);
    }
    if (produceTimeout.isNegative() || produceTimeout.isZero()) {
      throw new IllegalArgumentException("produceTimeout must be positive: " + produceTimeout);
    }
    if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
      throw new IllegalArgumentException("snapshotInterval must be positive: " + snapshotInterval);
    }
  }

  /** Cluster {@code default}, 8 partitions, 60 s produce timeout, snapshots every 60 s. */
  public static ClusterOptions of(String bootstrapServers) {
    return new ClusterOptions(
        bootstrapServers, "default", 8, Duration.ofSeconds(60), Duration.ofSeconds(60));
  }

  public ClusterOptions withClusterName(String name) {
    return new ClusterOptions(bootstrapServers, name, partitions, produceTimeout, snapshotInterval);
  }

  public ClusterOptions withPartitions(int count) {
    return new ClusterOptions(
        bootstrapServers, clusterName, count, produceTimeout, snapshotInterval);
  }

  public ClusterOptions withProduceTimeout(Duration timeout) {
    return new ClusterOptions(bootstrapServers, clusterName, partitions, timeout, snapshotInterval);
  }

  public ClusterOptions withSnapshotInterval(Duration interval) {
    return new ClusterOptions(bootstrapServers, clusterName, partitions, produceTimeout, interval);
  }

  /** The topic of every change, keyed by document ID. */
  public String changesTopic() {
    return "converge." + clusterName + ".changes";
  }

  /** The consumer group whose members share out the publishing of snapshots, by partition. */
  public String snapshotGroup() {
    return "converge." + clusterName + ".snapshotters";
  }

  /** The compacted topic of document snapshots, keyed by document ID. */
  public String snapshotsTopic() {
    return "converge." + clusterName + ".snapshots";
  }
}
