package dev.converge.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a node measures of its Kafka traffic, in Prometheus text for {@code /metrics}: consumer lag
 * (records of the changes topic not yet applied here), produce latency (a summary: count and sum,
 * and the largest in the last scrape interval), records and changes in and out.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class ClusterMetrics {
  private final LongAdder produceCount = new LongAdder();
  private final LongAdder produceNanos = new LongAdder();
  private final AtomicLong produceNanosMax = new AtomicLong();
  private final LongAdder producedChanges = new LongAdder();
  private final LongAdder produceFailures = new LongAdder();
  private final LongAdder consumedRecords = new LongAdder();
  private final LongAdder consumedChanges = new LongAdder();
  private final AtomicLong consumerLag = new AtomicLong(-1);
  private final LongAdder snapshotsPublished = new LongAdder();
  private final LongAdder snapshotRecordsRead = new LongAdder();
  private volatile long lastPollNanos;

  void snapshotsPublished(int count) {
    snapshotsPublished.add(count);
  }

  void snapshotRecordRead() {
    snapshotRecordsRead.increment();
  }

  long snapshotsPublished() {
    return snapshotsPublished.sum();
  }

  long snapshotRecordsRead() {
    return snapshotRecordsRead.sum();
  }

  void produced(int changes, long nanos) {
    produceCount.increment();
    produceNanos.add(nanos);
    producedChanges.add(changes);
    produceNanosMax.accumulateAndGet(nanos, Math::max);
  }

  void produceFailed() {
    produceFailures.increment();
  }

  void consumed(int changes) {
    consumedRecords.increment();
    consumedChanges.add(changes);
  }

  void polled(long lag, long nanoTime) {
    consumerLag.set(lag);
    lastPollNanos = nanoTime;
  }

  long consumerLag() {
    return consumerLag.get();
  }

  long lastPollNanos() {
    return lastPollNanos;
  }

  private long sampledCount;
  private long sampledNanos;

  /** The mean time Kafka took to acknowledge since the last call (0 if none); for the benchmark. */
  synchronized double produceMeanNanosSinceLast() {
    long count = produceCount.sum();
    long nanos = produceNanos.sum();
    double mean =
        count == sampledCount ? 0 : (nanos - sampledNanos) / (double) (count - sampledCount);
    sampledCount = count;
    sampledNanos = nanos;
    return mean;
  }

  long produceFailures() {
    return produceFailures.sum();
  }

  long producedChanges() {
    return producedChanges.sum();
  }

  long consumedRecords() {
    return consumedRecords.sum();
  }

  long consumedChanges() {
    return consumedChanges.sum();
  }

  String scrape() {
    long maxNanos = produceNanosMax.getAndSet(0);
    StringBuilder out = new StringBuilder();
    gauge(
        out,
        "converge_kafka_consumer_lag_records",
        "Records of the changes topic not yet" + " applied here (-1 before the first poll).",
        (double) consumerLag.get());
    out.append(
            "# HELP converge_kafka_produce_seconds Time from producing a client's change to"
                + " Kafka's acknowledgement.\n")
        .append("# TYPE converge_kafka_produce_seconds summary\n")
        .append("converge_kafka_produce_seconds_count ")
        .append(produceCount.sum())
        .append('\n')
        .append("converge_kafka_produce_seconds_sum ")
        .append(produceNanos.sum() / 1e9)
        .append('\n');
    gauge(
        out,
        "converge_kafka_produce_seconds_max",
        "The longest produce since the last scrape.",
        maxNanos / 1e9);
    counter(
        out,
        "converge_kafka_produced_changes_total",
        "Changes produced to Kafka.",
        producedChanges.sum());
    counter(
        out,
        "converge_kafka_produce_failures_total",
        "Produces Kafka did not acknowledge in time.",
        produceFailures.sum());
    counter(
        out,
        "converge_kafka_consumed_records_total",
        "Records of the changes topic applied.",
        consumedRecords.sum());
    counter(
        out,
        "converge_kafka_consumed_changes_total",
        "Changes new to this node among the records applied.",
        consumedChanges.sum());
    counter(
        out,
        "converge_kafka_snapshots_published_total",
        "Document snapshots this node published.",
        snapshotsPublished.sum());
    counter(
        out,
        "converge_kafka_snapshot_records_read_total",
        "Records of the snapshots topic read at start.",
        snapshotRecordsRead.sum());
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help)
        .append('\n')
        .append("# TYPE ")
        .append(name)
        .append(" gauge\n")
        .append(name)
        .append(' ')
        .append(value)
        .append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help)
        .append('\n')
        .append("# TYPE ")
        .append(name)
        .append(" counter\n")
        .append(name)
        .append(' ')
        .append(value)
        .append('\n');
  }
}
