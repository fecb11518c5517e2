package dev.converge.core.internal.document;

import java.util.Arrays;

/**
 * Op ids (an actor index and a counter) to op indexes, for the ids a document chunk names: its
 * stored ops and their successors.
 *
 * <p>Counters of one actor are dense in every file Automerge writes (a change's ops take
 * consecutive counters), so when each actor's counters span in all at most about twice the ids
 * named, an id is found by indexing one table per actor, which was a hash lookup per op and per
 * successor before. Other files fall back to an open-addressing hash table, no boxing either way.
 */
final class OpIdIndex {
  /** Per actor: the counter at slot 0 of its table. */
  private final long[] lowest;

  /** Per actor: op index + 1 per counter, 0 for none; none when the hash table is used. */
  private final int[][] tables;

  private final boolean direct;

  /** Used when {@link #direct} is false; a minimal one otherwise. */
  private final IdTable hashed;

  private final int actorCount;

  private OpIdIndex(long[] lowest, int[][] tables) {
    this.lowest = lowest;
    this.tables = tables;
    this.direct = true;
    this.hashed = new IdTable(0);
    this.actorCount = lowest.length;
  }

  private OpIdIndex(int actorCount, int expected) {
    this.lowest = new long[0];
    this.tables = new int[0][];
    this.direct = false;
    this.hashed = new IdTable(expected);
    this.actorCount = actorCount;
  }

  /** An empty index sized for the ids of {@code ops}' stored ops and successors. */
  static OpIdIndex forIdsOf(DocOps ops) {
    int actorCount = Math.max(1, ops.actors().size());
    int stored = ops.size();
    int successors = stored == 0 ? 0 : ops.succTo(stored - 1);
    long[] low = new long[actorCount];
    long[] high = new long[actorCount];
    Arrays.fill(low, Long.MAX_VALUE);
    Arrays.fill(high, Long.MIN_VALUE);
    for (int op = 0; op < stored; op++) {
      int actor = ops.idActor(op);
      long counter = ops.idCounter(op);
      low[actor] = Math.min(low[actor], counter);
      high[actor] = Math.max(high[actor], counter);
    }
    for (int s = 0; s < successors; s++) {
      int actor = ops.succActor(s);
      long counter = ops.succCounter(s);
      low[actor] = Math.min(low[actor], counter);
      high[actor] = Math.max(high[actor], counter);
    }
    long budget = 2L * (stored + successors) + 1024;
    long total = 0;
    for (int actor = 0; actor < actorCount; actor++) {
      if (low[actor] <= high[actor]) {
        long span = high[actor] - low[actor] + 1;
        // A span past the budget (or one that overflowed) takes the hash table.
        if (span <= 0 || span > budget) {
          return new OpIdIndex(actorCount, stored + successors);
        }
        total += span;
      }
    }
    if (total > budget) {
      return new OpIdIndex(actorCount, stored + successors);
    }
    int[][] tables = new int[actorCount][];
    for (int actor = 0; actor < actorCount; actor++) {
      tables[actor] =
          low[actor] <= high[actor] ? new int[(int) (high[actor] - low[actor] + 1)] : new int[0];
    }
    return new OpIdIndex(low, tables);
  }

  /** The op index of the id, or -1 if none was put. */
  int get(int actor, long counter) {
    if (direct) {
      int[] table = tables[actor];
      long slot = counter - lowest[actor];
      return slot >= 0 && slot < table.length ? table[(int) slot] - 1 : -1;
    }
    return hashed.get(key(actor, counter));
  }

  /**
   * Adds the id unless it is present; whether it was added. Only ids of the ops the index was sized
   * for may be put.
   */
  boolean putIfAbsent(int actor, long counter, int opIndex) {
    if (direct) {
      int[] table = tables[actor];
      int slot = (int) (counter - lowest[actor]);
      if (table[slot] != 0) {
        return false;
      }
      table[slot] = opIndex + 1;
      return true;
    }
    return hashed.putIfAbsent(key(actor, counter), opIndex);
  }

  private long key(int actor, long counter) {
    return counter * actorCount + actor;
  }

  /** Op ids (packed as counter and actor) to op indexes: open addressing, no boxing. */
  private static final class IdTable {
    private long[] keys;
    private int[] values;
    private int size;

    IdTable(int expected) {
      int capacity = Integer.highestOneBit(Math.max(16, expected + expected / 3 - 1)) << 1;
      keys = new long[capacity];
      values = new int[capacity];
      Arrays.fill(values, -1);
    }

    int get(long key) {
      int mask = keys.length - 1;
      for (int slot = mix(key) & mask; values[slot] >= 0; slot = (slot + 1) & mask) {
        if (keys[slot] == key) {
          return values[slot];
        }
      }
      return -1;
    }

    /** Adds the entry unless the key is present; whether it was added. */
    boolean putIfAbsent(long key, int value) {
      // Filled to at most three quarters: probes stay short and the table half the size.
      if ((size + 1L) * 4 > keys.length * 3L) {
        grow();
      }
      int mask = keys.length - 1;
      int slot = mix(key) & mask;
      while (values[slot] >= 0) {
        if (keys[slot] == key) {
          return false;
        }
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = value;
      size++;
      return true;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new int[oldKeys.length * 2];
      Arrays.fill(values, -1);
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldValues[i] >= 0) {
          putIfAbsent(oldKeys[i], oldValues[i]);
        }
      }
    }

    private static int mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }
}
