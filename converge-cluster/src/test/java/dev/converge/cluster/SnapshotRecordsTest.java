package dev.converge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotRecordsTest {
  @Test
  void snapshot_encoded_decodesToItsParts() {
    byte[] document = {0x3a, 0x01, 0x02};
    SnapshotRecords.Snapshot decoded =
        SnapshotRecords.decodeSnapshot(SnapshotRecords.snapshot(5, 1234, document)).orElseThrow();
    assertEquals(5, decoded.partition());
    assertEquals(1234, decoded.coveredOffset());
    assertArrayEquals(document, decoded.document());
  }

  @Test
  void mark_encoded_decodesToItsOffsetAndKeyToItsPartition() {
    assertEquals(Optional.of(77L), SnapshotRecords.decodeMark(SnapshotRecords.mark(77)));
    assertEquals(Optional.of(3), SnapshotRecords.markPartition(SnapshotRecords.markKey(3)));
  }

  @Test
  void documentIdKey_isNoMarkKey() {
    assertTrue(SnapshotRecords.markPartition("4NMNnkMhL8jXrdJ9jamS2BXo5BQT").isEmpty());
    assertTrue(SnapshotRecords.markPartition("~partition:x").isEmpty());
  }

  @Test
  void otherVersionOrLength_isRefused() {
    byte[] snapshot = SnapshotRecords.snapshot(1, 2, new byte[] {9});
    snapshot[0] = 2;
    assertTrue(SnapshotRecords.decodeSnapshot(snapshot).isEmpty());
    assertTrue(SnapshotRecords.decodeSnapshot(new byte[13]).isEmpty());
    assertTrue(SnapshotRecords.decodeMark(new byte[] {1, 0}).isEmpty());
  }
}
