package dev.converge.sim.exhaustive;

/**
 * A set of 128-bit state keys, each a uniform hash given as two longs: the visited states of the
 * exhaustive search.
 */
sealed interface StateKeys permits StateKeySet, CompactStateKeySet {
  /** Adds a key; false if it was present. */
  boolean add(long high, long low);

  /** Whether the key is present. */
  boolean contains(long high, long low);

  /** How many keys were added. */
  long size();
}
