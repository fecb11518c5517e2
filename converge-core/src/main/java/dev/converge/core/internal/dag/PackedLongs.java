package dev.converge.core.internal.dag;

import java.util.Arrays;

/**
 * An append-only list of longs packed by frame of reference: values are kept in blocks of {@value
 * #BLOCK}, and a full block is stored as its smallest value plus each value's distance from it in
 * the fewest bytes that hold the largest distance (0, 1, 2, 4 or 8). Per-change columns of a
 * document are nearly constant (the actor of a single writer) or nearly sequential (op counters,
 * times, offsets), so most blocks take one or two bytes a value, or none, where an int list takes
 * four and a long list eight. Any value is read in O(1). Only the last block is unpacked.
 *
 * <p>Not thread-safe.
 */
final class PackedLongs {
  static final int BLOCK = 64;
  private static final int PAGE_SIZE = 1 << 16;
  private static final long[] NO_LONGS = new long[0];
  private static final byte[] NO_BYTES = new byte[0];

  // Packed blocks: block b holds values b * BLOCK .. b * BLOCK + BLOCK - 1.
  private long[] base = NO_LONGS;
  private byte[] width = NO_BYTES;
  private int[] offset = new int[0];
  private int blocks;
  // Packed bytes in pages; a block never straddles two, so it is read from one array.
  private byte[][] pages = new byte[0][];
  private int used; // bytes used in the last page

  // The last, unpacked block.
  private final long[] open = new long[BLOCK];
  private int openCount;

  int size() {
    return blocks * BLOCK + openCount;
  }

  void add(long value) {
    open[openCount++] = value;
    if (openCount == BLOCK) {
      pack();
    }
  }

  long get(int index) {
    if (index < 0) {
      throw new IndexOutOfBoundsException(index + " of " + size());
    }
    int block = index / BLOCK;
    if (block == blocks) {
      if (index - block * BLOCK >= openCount) {
        throw new IndexOutOfBoundsException(index + " of " + size());
      }
      return open[index - block * BLOCK];
    }
    if (block > blocks) {
      throw new IndexOutOfBoundsException(index + " of " + size());
    }
    int bytes = width[block];
    if (bytes == 0) {
      return base[block];
    }
    int at = offset[block];
    byte[] page = pages[at >>> 16];
    int position = (at & (PAGE_SIZE - 1)) + (index - block * BLOCK) * bytes;
    long delta = 0;
    for (int i = 0; i < bytes; i++) {
      delta |= (page[position + i] & 0xFFL) << (8 * i);
    }
    return base[block] + delta;
  }

  /** Forgets every value from {@code newSize} on. */
  void truncate(int newSize) {
    if (newSize < 0 || newSize > size()) {
      throw new IndexOutOfBoundsException(newSize + " of " + size());
    }
    int keepBlocks = newSize / BLOCK;
    if (keepBlocks < blocks) {
      // Unpack the block that becomes the last, then drop it and every later one.
      for (int i = 0; i < BLOCK; i++) {
        open[i] = get(keepBlocks * BLOCK + i);
      }
      int at = offset[keepBlocks];
      blocks = keepBlocks;
      int pageCount = (at >>> 16) + 1;
      pages = Arrays.copyOf(pages, pageCount);
      used = at & (PAGE_SIZE - 1);
    }
    openCount = newSize - keepBlocks * BLOCK;
  }

  private void pack() {
    long min = open[0];
    long max = open[0];
    for (int i = 1; i < BLOCK; i++) {
      min = Math.min(min, open[i]);
      max = Math.max(max, open[i]);
    }
    long range = max - min;
    // A range past Long.MAX_VALUE wraps negative: it takes 8 bytes.
    int bytes =
        range == 0
            ? 0
            : range >= 0 && range < 1L << 8
                ? 1
                : range >= 0 && range < 1L << 16 ? 2 : range >= 0 && range < 1L << 32 ? 4 : 8;
    if (blocks == base.length) {
      int grown = Math.max(16, blocks * 2);
      base = Arrays.copyOf(base, grown);
      width = Arrays.copyOf(width, grown);
      offset = Arrays.copyOf(offset, grown);
    }
    int length = bytes * BLOCK;
    if (pages.length == 0 || used + length > PAGE_SIZE) {
      // A page starts small so that short lists stay small; it grows to a full page.
      pages = Arrays.copyOf(pages, pages.length + 1);
      pages[pages.length - 1] = new byte[pages.length == 1 ? Math.max(length, 256) : PAGE_SIZE];
      used = 0;
    }
    byte[] page = pages[pages.length - 1];
    if (used + length > page.length) {
      page = Arrays.copyOf(page, Math.min(PAGE_SIZE, Math.max(used + length, page.length * 2)));
      pages[pages.length - 1] = page;
    }
    base[blocks] = min;
    width[blocks] = (byte) bytes;
    offset[blocks] = ((pages.length - 1) << 16) | used;
    for (int i = 0; i < BLOCK; i++) {
      long delta = open[i] - min;
      for (int b = 0; b < bytes; b++) {
        page[used++] = (byte) (delta >>> (8 * b));
      }
    }
    blocks++;
    openCount = 0;
  }
}
