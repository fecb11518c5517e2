package dev.converge.sim.exhaustive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The visited-state set of the exhaustive check: a state is covered by a visited one with the same
 * content and no more duplicates at any replica, and the key set keeps every key through growth.
 *
 * <p>How: content keys are random 16-byte arrays from a seeded generator; both key sets, the
 * growing exact one and the compact fixed one, are checked.
 */
class SeenStatesTest {
  private static byte[] key(SplittableRandom random) {
    byte[] key = new byte[16];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) random.nextInt(256);
    }
    return key;
  }

  @Test
  void visit_fewerDuplicatesVisited_covers() {
    SeenStates seen = new SeenStates(new int[] {1, 2, 0});
    byte[] content = key(new SplittableRandom(1));
    assertTrue(seen.visit(content, new int[] {0, 1, 0}, true));
    assertFalse(seen.visit(content, new int[] {1, 1, 0}, true));
    assertFalse(seen.visit(content, new int[] {0, 2, 0}, true));
    assertFalse(seen.visit(content, new int[] {0, 1, 0}, true));
    assertEquals(1, seen.size());
  }

  @Test
  void visit_moreDuplicatesVisited_doesNotCover() {
    SeenStates seen = new SeenStates(new int[] {1, 2, 0});
    byte[] content = key(new SplittableRandom(2));
    assertTrue(seen.visit(content, new int[] {1, 1, 0}, true));
    assertTrue(seen.visit(content, new int[] {0, 1, 0}, true));
    assertTrue(seen.visit(content, new int[] {1, 0, 0}, true));
    assertTrue(seen.visit(key(new SplittableRandom(3)), new int[] {1, 1, 0}, true));
  }

  @Test
  void visit_withoutCover_tellsEveryCountApart() {
    SeenStates seen = new SeenStates(new int[] {1, 1});
    byte[] content = key(new SplittableRandom(4));
    assertTrue(seen.visit(content, new int[] {0, 0}, false));
    assertTrue(seen.visit(content, new int[] {1, 0}, false));
    assertFalse(seen.visit(content, new int[] {1, 0}, false));
  }

  @Test
  void visit_countOverBudget_fails() {
    SeenStates seen = new SeenStates(new int[] {1, 0});
    assertThrows(
        IllegalStateException.class,
        () -> seen.visit(key(new SplittableRandom(5)), new int[] {0, 1}, true));
  }

  /** Adds 100,000 seeded random keys and the all-zero one; each is then found, and only once. */
  private static void assertKeepsEveryKey(StateKeys set, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] keys = new long[2 * 100_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = random.nextLong();
    }
    for (int i = 0; i < keys.length; i += 2) {
      assertTrue(set.add(keys[i], keys[i + 1]));
    }
    for (int i = 0; i < keys.length; i += 2) {
      assertTrue(set.contains(keys[i], keys[i + 1]));
      assertFalse(set.add(keys[i], keys[i + 1]));
      assertFalse(set.contains(keys[i], keys[i + 1] ^ 1));
    }
    assertTrue(set.add(0, 0));
    assertTrue(set.contains(0, 0));
    assertEquals(keys.length / 2 + 1, set.size());
  }

  @Test
  void stateKeySet_throughGrowth_keepsEveryKey() {
    // Segments of 2^6 slots, so that the table spans thousands of them.
    assertKeepsEveryKey(new StateKeySet(6), 6);
  }

  @Test
  void compactStateKeySet_keepsEveryKeyUpToItsCapacity() {
    CompactStateKeySet set = new CompactStateKeySet(50_000);
    assertEquals(1 << 17, set.slots());
    assertKeepsEveryKey(set, 7);
  }

  @Test
  void compactStateKeySet_full_failsNamingTheFlag() {
    CompactStateKeySet set = new CompactStateKeySet(1);
    SplittableRandom random = new SplittableRandom(8);
    int capacity = (int) (set.slots() / 16 * 15);
    for (int i = 0; i < capacity; i++) {
      assertTrue(set.add(random.nextLong(), random.nextLong()));
    }
    IllegalStateException full =
        assertThrows(
            IllegalStateException.class, () -> set.add(random.nextLong(), random.nextLong()));
    assertTrue(String.valueOf(full.getMessage()).contains("states="), full.getMessage());
    assertEquals(capacity, set.size());
  }

  @Test
  void seenStates_onACompactSet_coversAsOnAGrowingOne() {
    SeenStates seen = new SeenStates(new int[] {1, 2, 0}, new CompactStateKeySet(1_000));
    byte[] content = key(new SplittableRandom(9));
    assertTrue(seen.visit(content, new int[] {0, 1, 0}, true));
    assertFalse(seen.visit(content, new int[] {1, 2, 0}, true));
    assertTrue(seen.visit(content, new int[] {0, 0, 0}, true));
    assertEquals(2, seen.size());
  }
}
