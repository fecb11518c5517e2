package dev.converge.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The records of the snapshots topic. A document's snapshot is keyed by its document ID; its value
 * is a version byte ({@code 1}), the changes-topic partition of the document (4 bytes, big-endian),
 * the covered offset (8 bytes: every record of the document in that partition before it is in the
 * snapshot) and the saved document (an Automerge document chunk). A partition's mark is keyed
 * {@code ~partition:P}, which no document ID is; its value is the version byte and the offset up to
 * which every document of the partition has a snapshot that covers all its records before it.
 */
final class SnapshotRecords {
  static final byte VERSION = 1;
  private static final String MARK_PREFIX = "~partition:";
  private static final int SNAPSHOT_HEADER_BYTES = 1 + 4 + 8;
  private static final int MARK_BYTES = 1 + 8;

  /** A decoded snapshot. */
  @SuppressWarnings("ArrayRecordComponent") // decoded once, read once, never compared
  record Snapshot(int partition, long coveredOffset, byte[] document) {}

  private SnapshotRecords() {}

  static byte[] snapshot(int partition, long coveredOffset, byte[] document) {
    return ByteBuffer.allocate(SNAPSHOT_HEADER_BYTES + document.length)
        .put(VERSION)
        .putInt(partition)
        .putLong(coveredOffset)
        .put(document)
        .array();
  }

  static String markKey(int partition) {
    return MARK_PREFIX + partition;
  }

  static byte[] mark(long coveredOffset) {
    return ByteBuffer.allocate(MARK_BYTES).put(VERSION).putLong(coveredOffset).array();
  }

  /** The partition a mark key names, or empty if {@code key} is no mark key. */
  static Optional<Integer> markPartition(String key) {
    if (!key.startsWith(MARK_PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(key.substring(MARK_PREFIX.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A mark's offset, or empty if {@code value} is not a mark of this version. */
  static Optional<Long> decodeMark(byte[] value) {
    if (value.length != MARK_BYTES || value[0] != VERSION) {
      return Optional.empty();
    }
    return Optional.of(ByteBuffer.wrap(value, 1, 8).getLong());
  }

  /** A snapshot, or empty if {@code value} is not a snapshot of this version. */
  static Optional<Snapshot> decodeSnapshot(byte[] value) {
    if (value.length <= SNAPSHOT_HEADER_BYTES || value[0] != VERSION) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    buffer.get();
    int partition = buffer.getInt();
    long covered = buffer.getLong();
    if (partition < 0 || covered < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Snapshot(
            partition, covered, Arrays.copyOfRange(value, SNAPSHOT_HEADER_BYTES, value.length)));
  }
}
