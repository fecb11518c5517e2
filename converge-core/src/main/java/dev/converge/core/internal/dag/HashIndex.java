package dev.converge.core.internal.dag;

import dev.converge.core.ChangeHash;
import java.util.Arrays;

/**
 * An open-addressing index from change hash to change number, storing only ints: the hashes
 * themselves live in the graph's hash array, and a SHA-256 hash is already uniformly spread, so its
 * first bytes are the slot.
 *
 * <p>Changes are added in number order, and the latest ones wait in a pending run of up to {@value
 * #PENDING_MAX} before they are placed, all at once and in slot order. Why: the table of a large
 * document is megabytes, and placing one change at a time made every add a cache miss that nothing
 * overlapped (a quarter of a local commit's graph work); a lookup scans the pending run first,
 * whose hashes sit together at the end of the hash pages. Not thread-safe.
 */
final class HashIndex {
  static final int PENDING_MAX = 64;
  private int[] slots = new int[64];
  // Changes 0..placed-1 are in slots; placed..count-1 are pending.
  private int placed;
  private int count;

  HashIndex() {
    Arrays.fill(slots, -1);
  }

  int find(ChangeHash hash, PagedBytes hashes) {
    int start = start(hash);
    for (int change = count - 1; change >= placed; change--) {
      if (startAt(hashes, change) == start && matches(hash, hashes, change)) {
        return change;
      }
    }
    int mask = slots.length - 1;
    for (int slot = start & mask; ; slot = (slot + 1) & mask) {
      int change = slots[slot];
      if (change < 0) {
        return -1;
      }
      if (matches(hash, hashes, change)) {
        return change;
      }
    }
  }

  /** Grows the table now, rather than step by step, so that {@code more} adds need no rehash. */
  void reserve(int more) {
    long needed = ((long) count + more) * 4 / 3 + 1;
    if (needed <= slots.length || count > 0) {
      return; // only an empty index is grown ahead; a full rehash would cost what it saves
    }
    int capacity = Integer.highestOneBit((int) Math.min(needed, 1 << 30)) << 1;
    slots = new int[capacity];
    Arrays.fill(slots, -1);
  }

  /**
   * Adds changes {@code 0..count-1} to an index that has none yet, in slot order: a large table
   * then fills front to back instead of by random writes, each a cache miss.
   */
  void addAll(int count, PagedBytes hashes) {
    if (this.count != 0) {
      throw new IllegalStateException("addAll into an index that has entries");
    }
    reserve(count);
    placeSorted(0, count, hashes);
    this.count = count;
    placed = count;
  }

  /** Places changes {@code from..to-1}, none of them placed yet, in the order of their slots. */
  private void placeSorted(int from, int to, PagedBytes hashes) {
    int n = to - from;
    int mask = slots.length - 1;
    int[] starts = new int[n];
    for (int i = 0; i < n; i++) {
      starts[i] = startAt(hashes, from + i) & mask;
    }
    // Counting sort by the top bits of the start slot.
    int slotBits = Integer.numberOfTrailingZeros(slots.length);
    int bucketBits = Math.min(slotBits, Math.min(16, 33 - Integer.numberOfLeadingZeros(n)));
    int shift = slotBits - bucketBits;
    int[] bucketStart = new int[(1 << bucketBits) + 1];
    for (int start : starts) {
      bucketStart[(start >>> shift) + 1]++;
    }
    for (int b = 0; b < 1 << bucketBits; b++) {
      bucketStart[b + 1] += bucketStart[b];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[bucketStart[starts[i] >>> shift]++] = i;
    }
    for (int i : order) {
      placeAt(from + i, starts[i]);
    }
  }

  /** Adds {@code change}, which must be the next number: {@code 0} first, then one more each. */
  void add(int change, PagedBytes hashes) {
    if (change != count) {
      throw new IllegalStateException("change " + change + " added after " + count + " changes");
    }
    count++;
    if (count - placed >= PENDING_MAX) {
      placePending(hashes);
    }
  }

  private void placePending(PagedBytes hashes) {
    int capacity = slots.length;
    while ((long) count * 4 > (long) capacity * 3) {
      capacity *= 2;
    }
    if (capacity != slots.length) {
      // Rebuilt rather than rehashed slot by slot: reading the hashes in change order and writing
      // the slots in slot order keeps both sequential.
      slots = new int[capacity];
      Arrays.fill(slots, -1);
      placeSorted(0, count, hashes);
    } else {
      placeSorted(placed, count, hashes);
    }
    placed = count;
  }

  /** Removes the most recently added change, which has no later entry in its probe run. */
  void remove(int change, PagedBytes hashes) {
    if (change != count - 1) {
      throw new IllegalStateException("change " + change + " removed, not the last of " + count);
    }
    if (change >= placed) {
      count--;
      return;
    }
    int mask = slots.length - 1;
    int slot = startAt(hashes, change) & mask;
    while (slots[slot] != change) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = -1;
    count--;
    placed--;
    for (int next = (slot + 1) & mask; slots[next] >= 0; next = (next + 1) & mask) {
      int moved = slots[next];
      slots[next] = -1;
      place(moved, hashes);
    }
  }

  private void place(int change, PagedBytes hashes) {
    placeAt(change, startAt(hashes, change));
  }

  /** Puts {@code change} in the first free slot of the probe run that starts at {@code start}. */
  private void placeAt(int change, int start) {
    int mask = slots.length - 1;
    int slot = start & mask;
    while (slots[slot] >= 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = change;
  }

  private static boolean matches(ChangeHash hash, PagedBytes hashes, int change) {
    return hashes.hashEquals(change * 32L, hash);
  }

  static int start(ChangeHash hash) {
    return (hash.byteAt(0) & 0xFF)
        | (hash.byteAt(1) & 0xFF) << 8
        | (hash.byteAt(2) & 0xFF) << 16
        | (hash.byteAt(3) & 0xFF) << 24;
  }

  private static int startAt(PagedBytes hashes, int change) {
    return hashes.intAt(change * 32L);
  }
}
