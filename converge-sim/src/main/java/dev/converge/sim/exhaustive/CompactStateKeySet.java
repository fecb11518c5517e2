package dev.converge.sim.exhaustive;

/**
 * A set of 128-bit state keys of fixed capacity at 8 bytes a slot, for the scopes too big for
 * {@link StateKeySet}'s 16: the slot a key starts probing at comes from its high long and only its
 * low long is stored, so a key is told apart by log2(slots) + 64 of its bits.
 *
 * <p>A key not in the set is taken for present only when one of the keys on its probe path has the
 * same low long: with the table at most half full the path holds a few keys, so over ten billion
 * lookups the chance is about 10^10 * 3 * 2^-64, below 10^-8. Storing the low long alone gives up
 * growth, since a stored key's starting slot cannot be recomputed; the table is sized up front from
 * the expected number of states and fails with a clear message at fifteen sixteenths full.
 *
 * <p>Slots live in segments of 2^27 (a 1 GiB array each). The all-zero low long marks an empty
 * slot, so a key whose low long is zero is stored with its last bit set.
 */
final class CompactStateKeySet implements StateKeys {
  private static final int SEGMENT_SLOTS_BITS = 27;

  private final long[][] segments;
  private final int segmentSlotsBits;
  private final long slotMask;
  private final int slotBits;
  private long size;

  /** A set with at least twice {@code expectedKeys} slots (a power of two, at least 2^12). */
  CompactStateKeySet(long expectedKeys) {
    if (expectedKeys < 1 || expectedKeys > 1L << 34) {
      throw new IllegalArgumentException("expectedKeys " + expectedKeys);
    }
    slotBits = Math.max(12, 64 - Long.numberOfLeadingZeros(2 * expectedKeys - 1));
    long slots = 1L << slotBits;
    segmentSlotsBits = Math.min(SEGMENT_SLOTS_BITS, slotBits);
    segments = new long[(int) (slots >>> segmentSlotsBits)][];
    for (int s = 0; s < segments.length; s++) {
      segments[s] = new long[1 << segmentSlotsBits];
    }
    slotMask = slots - 1;
  }

  @Override
  public boolean add(long high, long low) {
    long stored = low == 0 ? 1 : low;
    for (long slot = home(high); ; slot = (slot + 1) & slotMask) {
      long[] segment = segments[(int) (slot >>> segmentSlotsBits)];
      int index = (int) (slot & ((1L << segmentSlotsBits) - 1));
      if (segment[index] == 0) {
        if (size + 1 > (slotMask + 1) / 16 * 15) {
          throw new IllegalStateException(
              "the state set is full at "
                  + size
                  + " states; give a larger states= (and the JVM the heap for it, 8 bytes a slot)");
        }
        segment[index] = stored;
        size++;
        return true;
      }
      if (segment[index] == stored) {
        return false;
      }
    }
  }

  @Override
  public boolean contains(long high, long low) {
    long stored = low == 0 ? 1 : low;
    for (long slot = home(high); ; slot = (slot + 1) & slotMask) {
      long[] segment = segments[(int) (slot >>> segmentSlotsBits)];
      long value = segment[(int) (slot & ((1L << segmentSlotsBits) - 1))];
      if (value == 0) {
        return false;
      }
      if (value == stored) {
        return true;
      }
    }
  }

  /** The key is a hash already: its top bits spread evenly. */
  private long home(long high) {
    return high >>> (64 - slotBits);
  }

  /** How many slots the table has. */
  long slots() {
    return slotMask + 1;
  }

  @Override
  public long size() {
    return size;
  }
}
