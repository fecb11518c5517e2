package dev.converge.cluster;

/**
 * Marks the thread applying records consumed from Kafka, so the producing listener of {@link
 * ClusterDocuments} does not send those changes back to the topic they came from.
 */
final class FromKafka {
  private static final ThreadLocal<Boolean> APPLYING = ThreadLocal.withInitial(() -> false);

  private FromKafka() {}

  static boolean active() {
    return APPLYING.get();
  }

  static void set(boolean applying) {
    APPLYING.set(applying);
  }
}
