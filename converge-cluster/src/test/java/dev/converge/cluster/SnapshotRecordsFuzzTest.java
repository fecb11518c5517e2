package dev.converge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Fuzzes the decoders of the snapshots topic's records with arbitrary bytes: the only allowed
 * outcomes are a decoded value, which re-encodes to exactly its input, or empty; never an
 * exception. Under {@code mvn test} Jazzer runs the empty input; to explore, run {@code
 * JAZZER_FUZZ=1 mvn -pl converge-cluster test -Dtest=SnapshotRecordsFuzzTest}.
 */
class SnapshotRecordsFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void snapshot(byte[] data) {
    Optional<SnapshotRecords.Snapshot> decoded = SnapshotRecords.decodeSnapshot(data);
    decoded.ifPresent(
        snapshot ->
            assertArrayEquals(
                data,
                SnapshotRecords.snapshot(
                    snapshot.partition(), snapshot.coveredOffset(), snapshot.document())));
  }

  @FuzzTest(maxDuration = "60s")
  void mark(byte[] data) {
    SnapshotRecords.decodeMark(data)
        .ifPresent(offset -> assertArrayEquals(data, SnapshotRecords.mark(offset)));
    String key = new String(data, java.nio.charset.StandardCharsets.UTF_8);
    SnapshotRecords.markPartition(key)
        .ifPresent(partition -> assertEquals(partition, Integer.parseInt(key.substring(11))));
  }
}
