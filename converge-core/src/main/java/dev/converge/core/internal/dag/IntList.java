package dev.converge.core.internal.dag;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A growable list of ints in fixed pages of 4,096, without boxing. Pages, unlike one doubling
 * array, leave at most one partly used page behind, which matters for per-change columns that live
 * as long as the document. Not thread-safe.
 */
final class IntList {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;

  private final List<int[]> pages = new ArrayList<>();
  private int size;
  // The last page, or null; always pages.get(pages.size() - 1) when set.
  private int @Nullable [] last;

  IntList() {}

  void add(int value) {
    int offset = size & (PAGE_SIZE - 1);
    // The common case, a free slot in the last page, without a page lookup.
    if (last != null && offset < last.length && size >>> PAGE_BITS == pages.size() - 1) {
      last[offset] = value;
      size++;
      return;
    }
    int page = size >>> PAGE_BITS;
    if (page == pages.size()) {
      // A page starts small, so the many short lists (one per actor) stay small.
      pages.add(new int[page == 0 ? 4 : PAGE_SIZE]);
    } else if (offset == pages.get(page).length) {
      pages.set(page, java.util.Arrays.copyOf(pages.get(page), Math.min(PAGE_SIZE, offset * 2)));
    }
    last = pages.get(page);
    last[offset] = value;
    size++;
  }

  int get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException(index + " of " + size);
    }
    return pages.get(index >>> PAGE_BITS)[index & (PAGE_SIZE - 1)];
  }

  int size() {
    return size;
  }

  void truncate(int newSize) {
    size = newSize;
    int keepPages = (newSize + PAGE_SIZE - 1) >>> PAGE_BITS;
    while (pages.size() > keepPages) {
      pages.remove(pages.size() - 1);
    }
    last = pages.isEmpty() ? null : pages.get(pages.size() - 1);
  }
}
