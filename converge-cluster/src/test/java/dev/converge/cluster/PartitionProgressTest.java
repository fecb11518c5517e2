package dev.converge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  private final SplittableRandom random = new SplittableRandom(18);
  private final DocumentId a = DocumentId.random(random);
  private final DocumentId b = DocumentId.random(random);

  @Test
  void recordsApplied_coveredOffsetFollowsAndStorableLagsByOne() {
    PartitionProgress progress = new PartitionProgress(10);
    assertEquals(10, progress.storable(10));
    progress.applied(a, 10, false, true);
    progress.applied(b, 11, false, true);
    assertEquals(12, progress.coveredOffset());
    assertEquals(12, progress.storable(12));
    assertTrue(progress.storedUpTo(12));
    assertFalse(progress.storedUpTo(12));
  }

  @Test
  void recordWaitingForDependencies_holdsOffsetsBackUntilItsDocumentCatchesUp() {
    PartitionProgress progress = new PartitionProgress(0);
    progress.applied(a, 3, true, false);
    progress.applied(b, 4, false, true);
    progress.passed(5);
    assertEquals(3, progress.coveredOffset());
    assertEquals(3, progress.storable(6));
    progress.applied(a, 6, false, true);
    assertEquals(7, progress.coveredOffset());
  }

  @Test
  void drainChanged_returnsEachChangedDocumentOnce() {
    PartitionProgress progress = new PartitionProgress(0);
    progress.applied(a, 0, false, true);
    progress.applied(a, 1, false, true);
    progress.applied(b, 2, false, false);
    assertEquals(List.of(a), progress.drainChanged());
    assertEquals(List.of(), progress.drainChanged());
  }
}
