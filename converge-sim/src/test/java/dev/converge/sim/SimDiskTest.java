package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulated disk's crash semantics (reliability.md, fault matrix row 2): synced records always
 * survive, the unsynced tail survives as any byte prefix, and a record cut anywhere is read as
 * corrupt, never as a shorter record.
 */
class SimDiskTest {
  private static SimDisk diskWithOneSyncedAndTwoUnsynced() {
    SimDisk disk = new SimDisk();
    disk.append(new byte[] {1, 2, 3}, Map.of(7, new byte[] {0x43, 0}));
    disk.sync();
    disk.append(new byte[] {4, 5}, Map.of(7, new byte[] {0x43, 1}));
    disk.append(new byte[] {6}, Map.of());
    return disk;
  }

  @Test
  void read_everyCutOfTheUnsyncedTail_keepsTheWholeRecordsBeforeItAndFlagsATornOne() {
    int boundaryCuts = 0;
    int tornCuts = 0;
    for (int cut = 1; ; cut++) {
      SimDisk disk = diskWithOneSyncedAndTwoUnsynced();
      disk.truncateTail(cut);
      SimDisk.Contents contents = disk.read();
      if (contents.records().size() < 1) {
        break; // the cut reached the synced record, which only a test can do
      }
      // A cut on a record boundary leaves whole records; any other leaves a torn record, which is
      // reported and left out, and the records before it are intact.
      assertTrue(contents.records().size() < 3);
      assertArrayEquals(new byte[] {1, 2, 3}, contents.records().get(0).chunks());
      assertArrayEquals(new byte[] {0x43, 0}, contents.records().get(0).syncStates().get(7));
      if (contents.records().size() == 2) {
        assertArrayEquals(new byte[] {4, 5}, contents.records().get(1).chunks());
        assertArrayEquals(new byte[] {0x43, 1}, contents.records().get(1).syncStates().get(7));
      }
      if (contents.tornTail()) {
        tornCuts++;
      } else {
        boundaryCuts++;
      }
    }
    assertEquals(2, boundaryCuts, "one boundary between the unsynced records, one before them");
    assertTrue(tornCuts > 10);
  }

  @Test
  void crash_keepsSyncedRecordsAndAPrefixOfTheRest_overManySeeds() {
    boolean sawTorn = false;
    for (long seed = 0; seed < 200; seed++) {
      SimDisk disk = diskWithOneSyncedAndTwoUnsynced();
      int lost = disk.crash(new SplittableRandom(seed));
      SimDisk.Contents contents = disk.read();
      assertFalse(disk.hasUnsynced());
      assertEquals(3 - lost, contents.records().size());
      assertArrayEquals(new byte[] {1, 2, 3}, contents.records().get(0).chunks());
      sawTorn |= contents.tornTail();
    }
    assertTrue(sawTorn, "200 crashes should tear some record");
  }
}
