package dev.converge.sim;

import java.nio.ByteBuffer;

/**
 * A set of 128-bit state keys in one array of longs (two per slot) with open addressing, at most
 * three quarters full: the large scopes keep tens of millions of keys, at 21 bytes each on average
 * here rather than about 100 as wrapped arrays in a HashSet. The all-zero key marks an empty slot,
 * so a key that is all zero is stored as if its last bit were set.
 */
final class StateKeySet {
  private long[] table = new long[2 << 12];
  private int size;

  /** Adds a 16-byte key; false if it was present. */
  boolean add(byte[] key) {
    ByteBuffer buffer = ByteBuffer.wrap(key);
    long high = buffer.getLong();
    long low = buffer.getLong();
    if (high == 0 && low == 0) {
      low = 1;
    }
    if (!insert(table, high, low)) {
      return false;
    }
    size++;
    if (size > table.length / 2 / 4 * 3) {
      grow();
    }
    return true;
  }

  private static boolean insert(long[] table, long high, long low) {
    int mask = table.length / 2 - 1;
    // The key is a hash already: its low bits spread evenly.
    int slot = (int) low & mask;
    while (table[2 * slot] != 0 || table[2 * slot + 1] != 0) {
      if (table[2 * slot] == high && table[2 * slot + 1] == low) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    table[2 * slot] = high;
    table[2 * slot + 1] = low;
    return true;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    for (int index = 0; index < old.length; index += 2) {
      if (old[index] != 0 || old[index + 1] != 0) {
        insert(table, old[index], old[index + 1]);
      }
    }
  }

  int size() {
    return size;
  }
}
