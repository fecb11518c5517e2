package dev.converge.sim.exhaustive;

/**
 * A set of 128-bit state keys with open addressing and linear probing, two longs per slot: the
 * large scopes keep hundreds of millions of keys, at 16 to 32 bytes each here rather than about 100
 * as wrapped arrays in a HashSet. The all-zero key marks an empty slot, so a key that is all zero
 * is stored as if its last bit were set.
 *
 * <p>The slots live in segments of at most 2^26 (a 1 GiB array each), since a Java array holds at
 * most 2^31 - 1 elements and the big scopes need more slots than that. The table doubles when it is
 * three quarters full, as long as the new table fits in the heap beside everything in it now (the
 * old table included) with an eighth of the heap, at least 1 GiB, to spare: a 3-mesh search at 200
 * million states ran out of a 14 GiB heap when only the two tables were counted. After that it
 * fills up to fifteen sixteenths (probes get longer, but the search goes on) and then fails.
 */
final class StateKeySet implements StateKeys {
  private static final int SEGMENT_SLOTS_BITS_MAX = 26;
  private static final long HEAP_RESERVE_BYTES_MIN = 1L << 30;

  private final int segmentSlotsBitsMax;
  private long[][] segments;
  private int segmentSlotsBits;
  private long slotMask;
  private long size;
  private boolean full;

  StateKeySet() {
    this(SEGMENT_SLOTS_BITS_MAX);
  }

  /** A set whose segments hold at most 2^{@code segmentSlotsBitsMax} slots (small in tests). */
  StateKeySet(int segmentSlotsBitsMax) {
    if (segmentSlotsBitsMax < 1 || segmentSlotsBitsMax > SEGMENT_SLOTS_BITS_MAX) {
      throw new IllegalArgumentException("segmentSlotsBitsMax " + segmentSlotsBitsMax);
    }
    this.segmentSlotsBitsMax = segmentSlotsBitsMax;
    allocate(1L << 12);
  }

  private void allocate(long slots) {
    segmentSlotsBits = Math.min(segmentSlotsBitsMax, Long.numberOfTrailingZeros(slots));
    long segmentSlots = 1L << segmentSlotsBits;
    segments = new long[(int) (slots / segmentSlots)][];
    for (int s = 0; s < segments.length; s++) {
      segments[s] = new long[(int) (2 * segmentSlots)];
    }
    slotMask = slots - 1;
  }

  @Override
  public boolean add(long high, long low) {
    if (high == 0 && low == 0) {
      low = 1;
    }
    if (!insert(high, low)) {
      return false;
    }
    size++;
    long slots = slotMask + 1;
    if (!full && size > slots / 4 * 3) {
      full = !grow();
    }
    if (full && size > slots / 16 * 15) {
      throw new IllegalStateException(
          "the state set is full at " + size + " states; give the JVM more heap (-Xmx)");
    }
    return true;
  }

  @Override
  public boolean contains(long high, long low) {
    if (high == 0 && low == 0) {
      low = 1;
    }
    // The key is a hash already: its low bits spread evenly.
    for (long slot = low & slotMask; ; slot = (slot + 1) & slotMask) {
      long[] segment = segments[(int) (slot >>> segmentSlotsBits)];
      int index = (int) (2 * (slot & ((1L << segmentSlotsBits) - 1)));
      if (segment[index] == 0 && segment[index + 1] == 0) {
        return false;
      }
      if (segment[index] == high && segment[index + 1] == low) {
        return true;
      }
    }
  }

  private boolean insert(long high, long low) {
    for (long slot = low & slotMask; ; slot = (slot + 1) & slotMask) {
      long[] segment = segments[(int) (slot >>> segmentSlotsBits)];
      int index = (int) (2 * (slot & ((1L << segmentSlotsBits) - 1)));
      if (segment[index] == 0 && segment[index + 1] == 0) {
        segment[index] = high;
        segment[index + 1] = low;
        return true;
      }
      if (segment[index] == high && segment[index + 1] == low) {
        return false;
      }
    }
  }

  /** Doubles the table if the new one fits in the heap with room to spare; false if not. */
  private boolean grow() {
    long slots = slotMask + 1;
    long newBytes = 2 * slots * 2 * Long.BYTES;
    if (!heapHasRoomFor(newBytes)) {
      // What the heap holds counts garbage too; a collection tells how much of it is live.
      System.gc();
      if (!heapHasRoomFor(newBytes)) {
        return false;
      }
    }
    long[][] old = segments;
    allocate(2 * slots);
    for (long[] segment : old) {
      for (int index = 0; index < segment.length; index += 2) {
        if (segment[index] != 0 || segment[index + 1] != 0) {
          insert(segment[index], segment[index + 1]);
        }
      }
    }
    return true;
  }

  private static boolean heapHasRoomFor(long bytes) {
    Runtime runtime = Runtime.getRuntime();
    long usedBytes = runtime.totalMemory() - runtime.freeMemory();
    long reserveBytes = Math.max(HEAP_RESERVE_BYTES_MIN, runtime.maxMemory() / 8);
    return bytes <= runtime.maxMemory() - usedBytes - reserveBytes;
  }

  @Override
  public long size() {
    return size;
  }
}
