package dev.converge.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the cluster's two topics if they are missing.
 *
 * <p>Changes: {@code partitions} partitions, records keyed by document ID (so one document's
 * changes stay in order in one partition), kept forever ({@code retention.ms=-1}): the log is the
 * database. Snapshots: compacted, keyed by document ID, so the newest snapshot of each document
 * stays. Both get three replicas and {@code min.insync.replicas=2} on a cluster of three brokers or
 * more; a smaller cluster (a development broker) gets as many replicas as it has brokers.
 */
final class ClusterTopics {
  private static final long TIMEOUT_SECONDS = 30;

  private ClusterTopics() {}

  static void ensure(Admin admin, ClusterOptions options)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
    short replicas = (short) Math.max(1, Math.min(3, brokers));
    String minInSync = Integer.toString(replicas >= 3 ? 2 : 1);
    List<NewTopic> missing = new ArrayList<>();
    if (!existing.contains(options.changesTopic())) {
      missing.add(
          new NewTopic(options.changesTopic(), options.partitions(), replicas)
              .configs(
                  Map.of(
                      "cleanup.policy", "delete",
                      "retention.ms", "-1",
                      "retention.bytes", "-1",
                      "min.insync.replicas", minInSync)));
    }
    if (!existing.contains(options.snapshotsTopic())) {
      missing.add(
          new NewTopic(options.snapshotsTopic(), options.partitions(), replicas)
              .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", minInSync)));
    }
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Another node created them first.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
