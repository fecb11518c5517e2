package dev.converge.core.internal.opset;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The elements of one sequence by op ID: for each actor, its elements sorted by counter, found by
 * binary search in O(log n).
 *
 * <p>Why not a hash map: a text holds one entry per character ever typed, and an open-addressing
 * map from packed ID to element costs 12 bytes a slot at three slots for two entries; a sorted
 * array costs one reference an entry. Sorting costs nothing as changes are applied: an actor's ops
 * arrive in counter order (its changes in seq order, each change's ops in order), so a new element
 * goes at the end of its actor's array. A document chunk stores elements in document order instead,
 * so the loader adds them with {@link #addUnsorted} and sorts once with {@link #sortAll}.
 *
 * <p>Not thread-safe.
 */
final class ElementIndex {
  private static final Op[] NONE = new Op[0];

  private Op[][] byActor = new Op[0][];
  private int[] sizes = new int[0];

  /** The element made by op {@code counter}@{@code actor}, or null. */
  @Nullable Op get(long counter, int actor) {
    if (actor < 0 || actor >= sizes.length) {
      return null;
    }
    Op[] ops = byActor[actor];
    int low = 0;
    int high = sizes[actor] - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      long found = ops[middle].counter();
      if (found < counter) {
        low = middle + 1;
      } else if (found > counter) {
        high = middle - 1;
      } else {
        return ops[middle];
      }
    }
    return null;
  }

  /** Adds {@code element}, keeping its actor's elements sorted. */
  void add(Op element) {
    int actor = element.actor;
    int size = reserve(actor);
    Op[] ops = byActor[actor];
    int at = size;
    // Nearly always at the end; an out-of-order insert shifts the later ones.
    while (at > 0 && ops[at - 1].counter() > element.counter()) {
      at--;
    }
    System.arraycopy(ops, at, ops, at + 1, size - at);
    ops[at] = element;
    sizes[actor] = size + 1;
  }

  /** Adds {@code element} at the end of its actor's elements; {@link #sortAll} must follow. */
  void addUnsorted(Op element) {
    int actor = element.actor;
    int size = reserve(actor);
    byActor[actor][size] = element;
    sizes[actor] = size + 1;
  }

  /** Sorts every actor's elements by counter, after {@link #addUnsorted}. */
  void sortAll() {
    for (int actor = 0; actor < sizes.length; actor++) {
      sortByCounter(byActor[actor], sizes[actor]);
    }
  }

  /**
   * Sorts the first {@code size} ops by counter. A load sorts every element of a document, so the
   * keys are sorted as primitives (counter above, position below: counters fit 32 bits, positions
   * 31) instead of through a comparator, which cost a tenth of a load of a long text.
   */
  private static void sortByCounter(Op[] ops, int size) {
    boolean sorted = true;
    for (int i = 1; i < size && sorted; i++) {
      sorted = ops[i - 1].counter() <= ops[i].counter();
    }
    if (sorted) {
      return;
    }
    long[] keys = new long[size];
    for (int i = 0; i < size; i++) {
      keys[i] = (ops[i].counter() << 31) | i;
    }
    Arrays.sort(keys);
    Op[] copy = Arrays.copyOf(ops, size);
    for (int i = 0; i < size; i++) {
      ops[i] = copy[(int) (keys[i] & 0x7FFF_FFFFL)];
    }
  }

  /** Removes {@code element}; used only to roll back an insert, so it is its actor's last. */
  void remove(Op element) {
    int actor = element.actor;
    Op[] ops = byActor[actor];
    int size = sizes[actor];
    for (int at = size - 1; at >= 0; at--) {
      if (ops[at] == element) {
        System.arraycopy(ops, at + 1, ops, at, size - at - 1);
        ops[size - 1] = null;
        sizes[actor] = size - 1;
        return;
      }
    }
    throw new IllegalStateException("element " + element + " is not in the index");
  }

  /** Makes room for one more element of {@code actor} and returns its current count. */
  private int reserve(int actor) {
    if (actor >= sizes.length) {
      int grown = Math.max(actor + 1, sizes.length * 2);
      int old = sizes.length;
      byActor = Arrays.copyOf(byActor, grown);
      Arrays.fill(byActor, old, grown, NONE);
      sizes = Arrays.copyOf(sizes, grown);
    }
    int size = sizes[actor];
    if (size == byActor[actor].length) {
      // Half again: a document's index lives as long as it does, so slack is kept small.
      byActor[actor] = Arrays.copyOf(byActor[actor], Math.max(4, size + (size >>> 1)));
    }
    return size;
  }
}
