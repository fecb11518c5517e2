package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulated disk's crash semantics: synced records always survive, the unsynced tail survives
 * as any byte prefix, and a record cut anywhere is read as torn, never as a shorter record; a bit
 * flipped anywhere in the synced records is found by the record's checksum, never read as other
 * content.
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

  /**
   * Every single bit of three synced records, flipped in turn: the read stops at the record holding
   * it, reports it corrupt (not torn), and returns the records before it unchanged.
   */
  @Test
  void read_everyBitFlipOfSyncedRecords_foundCorrupt_recordsBeforeItIntact() {
    SimDisk clean = diskWithOneSyncedAndTwoUnsynced();
    clean.sync();
    int[] recordEnds = new int[3];
    recordEnds[0] = frameBytes(3, 2);
    recordEnds[1] = recordEnds[0] + frameBytes(2, 2);
    recordEnds[2] = recordEnds[1] + frameBytes(1, -1);
    int flips = 0;
    for (int offset = 0; offset < recordEnds[2]; offset++) {
      for (int bit = 0; bit < 8; bit++) {
        SimDisk disk = diskWithOneSyncedAndTwoUnsynced();
        disk.sync();
        disk.flipBitAt(offset, bit);
        SimDisk.Contents contents = disk.read();
        int holding = offset < recordEnds[0] ? 0 : offset < recordEnds[1] ? 1 : 2;
        assertEquals(SimDisk.Damage.CORRUPT, contents.damage(), "offset " + offset + " bit " + bit);
        assertEquals(holding, contents.records().size(), "offset " + offset + " bit " + bit);
        if (holding > 0) {
          assertArrayEquals(new byte[] {1, 2, 3}, contents.records().get(0).chunks());
        }
        if (holding > 1) {
          assertArrayEquals(new byte[] {4, 5}, contents.records().get(1).chunks());
        }
        flips++;
      }
    }
    assertEquals(8 * recordEnds[2], flips);
    assertEquals(SimDisk.Damage.NONE, clean.read().damage());
  }

  /** A record's size on disk: header, chunks, and each sync state (peer, length, bytes). */
  private static int frameBytes(int chunksBytes, int stateBytes) {
    return 8 + 4 + chunksBytes + 4 + (stateBytes < 0 ? 0 : 8 + stateBytes);
  }

  @Test
  void flipDurableBit_nothingSynced_flipsNothing() {
    SimDisk disk = new SimDisk();
    disk.append(new byte[] {1}, Map.of());
    assertEquals(-1, disk.flipDurableBit(new SplittableRandom(1)));
    assertFalse(disk.hasFlippedBits());
    assertEquals(SimDisk.Damage.NONE, disk.read().damage());
  }
}
