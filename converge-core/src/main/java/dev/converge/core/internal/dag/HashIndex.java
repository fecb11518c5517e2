package dev.converge.core.internal.dag;

import dev.converge.core.ChangeHash;
import java.util.Arrays;

/**
 * An open-addressing index from change hash to change number, storing only ints: the hashes
 * themselves live in the graph's hash array, and a SHA-256 hash is already uniformly spread, so its
 * first bytes are the slot. Not thread-safe.
 */
final class HashIndex {
  private int[] slots = new int[64];
  private int count;

  HashIndex() {
    Arrays.fill(slots, -1);
  }

  int find(ChangeHash hash, PagedBytes hashes) {
    int mask = slots.length - 1;
    for (int slot = start(hash) & mask; ; slot = (slot + 1) & mask) {
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
    int mask = slots.length - 1;
    int[] starts = new int[count];
    for (int change = 0; change < count; change++) {
      starts[change] = startAt(hashes, change) & mask;
    }
    // Counting sort by the top bits of the start slot.
    int slotBits = Integer.numberOfTrailingZeros(slots.length);
    int bucketBits = Math.min(slotBits, 16);
    int shift = slotBits - bucketBits;
    int[] bucketStart = new int[(1 << bucketBits) + 1];
    for (int start : starts) {
      bucketStart[(start >>> shift) + 1]++;
    }
    for (int b = 0; b < 1 << bucketBits; b++) {
      bucketStart[b + 1] += bucketStart[b];
    }
    int[] order = new int[count];
    for (int change = 0; change < count; change++) {
      order[bucketStart[starts[change] >>> shift]++] = change;
    }
    for (int change : order) {
      placeAt(change, starts[change]);
    }
    this.count = count;
  }

  void add(int change, PagedBytes hashes) {
    growIfFull(hashes);
    place(change, hashes);
    count++;
  }

  private void growIfFull(PagedBytes hashes) {
    if ((count + 1) * 4 > slots.length * 3) {
      int[] old = slots;
      slots = new int[old.length * 2];
      Arrays.fill(slots, -1);
      for (int existing : old) {
        if (existing >= 0) {
          place(existing, hashes);
        }
      }
    }
  }

  /** Removes the most recently added change, which has no later entry in its probe run. */
  void remove(int change, PagedBytes hashes) {
    int mask = slots.length - 1;
    int slot = startAt(hashes, change) & mask;
    while (slots[slot] != change) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = -1;
    count--;
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

  private static int start(ChangeHash hash) {
    return (hash.byteAt(0) & 0xFF)
        | (hash.byteAt(1) & 0xFF) << 8
        | (hash.byteAt(2) & 0xFF) << 16
        | (hash.byteAt(3) & 0xFF) << 24;
  }

  private static int startAt(PagedBytes hashes, int change) {
    return hashes.intAt(change * 32L);
  }
}
