package dev.converge.core.internal.dag;

import java.util.Arrays;

/** A growable array of ints, without boxing. Not thread-safe. */
final class IntList {
  private int[] items;
  private int size;

  IntList(int capacity) {
    items = new int[Math.max(1, capacity)];
  }

  void add(int value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size + (size >> 1) + 1);
    }
    items[size++] = value;
  }

  int get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException(index + " of " + size);
    }
    return items[index];
  }

  int size() {
    return size;
  }

  void truncate(int newSize) {
    size = newSize;
  }
}
