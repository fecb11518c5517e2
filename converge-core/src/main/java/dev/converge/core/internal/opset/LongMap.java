package dev.converge.core.internal.opset;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An open-addressing hash map from a long key to an object, with no boxing: the element index of a
 * sequence, keyed by packed op ID, holds one entry per inserted element and must stay small. Keys
 * must not be {@link Long#MIN_VALUE}. Not thread-safe.
 */
final class LongMap<V> {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys;
  private Object[] values;
  private int size;

  LongMap() {
    keys = new long[8];
    Arrays.fill(keys, EMPTY);
    values = new Object[8];
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  @Nullable V get(long key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long found = keys[i];
      if (found == key) {
        return (V) values[i];
      }
      if (found == EMPTY) {
        return null;
      }
    }
  }

  void put(long key, V value) {
    if (key == EMPTY) {
      throw new IllegalArgumentException("key reserved for empty slots");
    }
    if ((size + 1) * 4 > keys.length * 3) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      if (keys[i] == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  /** Removes {@code key}, re-placing the entries after it in its probe run. */
  void remove(long key) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != key) {
      if (keys[i] == EMPTY) {
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = EMPTY;
    values[i] = null;
    size--;
    for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
      long movedKey = keys[j];
      Object movedValue = values[j];
      keys[j] = EMPTY;
      values[j] = null;
      size--;
      @SuppressWarnings("unchecked")
      V typed = (V) movedValue;
      put(movedKey, typed);
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new Object[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        @SuppressWarnings("unchecked")
        V value = (V) oldValues[i];
        put(oldKeys[i], value);
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
