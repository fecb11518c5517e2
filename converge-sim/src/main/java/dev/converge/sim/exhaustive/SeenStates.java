package dev.converge.sim.exhaustive;

import java.nio.ByteBuffer;

/**
 * The states a search has visited, each as its key without the duplicate counts (from {@link
 * ExhaustiveWorld#key}) together with how many duplicates each replica has received, and which of
 * them a state already visited covers.
 *
 * <p>A state covers another that differs from it only in having received fewer duplicates at every
 * replica (or as many): whatever the one with more received can still do, the other can do too,
 * with the same outcome, since no transition reads the count except to allow a duplicate while it
 * is under the budget (see {@link ExhaustiveSync} for why skipping covered states loses no terminal
 * state). A state is stored under its content key mixed with a constant for its counts (the first
 * 16 bytes of a SHA-256 of them): for keys that are uniform hashes, two pairs of content and counts
 * collide with probability 2^-128, as two content keys do.
 */
final class SeenStates {
  private final StateKeys keys;
  private final int[] budgets;

  /** Per vector of counts, in mixed radix (replica 0 lowest), the two longs mixed into its key. */
  private final long[] countsHigh;

  private final long[] countsLow;

  /** Each replica's budget of duplicates: counts run from 0 to it; a set that grows. */
  SeenStates(int[] budgets) {
    this(budgets, new StateKeySet());
  }

  /** As {@link #SeenStates(int[])}, keeping the keys in {@code keys}. */
  SeenStates(int[] budgets, StateKeys keys) {
    this.keys = keys;
    this.budgets = budgets.clone();
    int vectors = 1;
    for (int budget : budgets) {
      vectors *= budget + 1;
    }
    countsHigh = new long[vectors];
    countsLow = new long[vectors];
    for (int vector = 0; vector < vectors; vector++) {
      ByteBuffer mix =
          ByteBuffer.wrap(Sha256.of(ByteBuffer.allocate(Integer.BYTES).putInt(vector).array()));
      countsHigh[vector] = mix.getLong();
      countsLow[vector] = mix.getLong();
    }
  }

  /**
   * Records the state with content key {@code contentKey} and duplicate counts {@code counts};
   * false if it was visited before or, with {@code cover}, if a visited state covers it.
   */
  boolean visit(byte[] contentKey, int[] counts, boolean cover) {
    ByteBuffer buffer = ByteBuffer.wrap(contentKey);
    long high = buffer.getLong();
    long low = buffer.getLong();
    int vector = vector(counts);
    if (cover && isCovered(high, low, counts, 0, 0, 1, vector)) {
      return false;
    }
    return keys.add(high ^ countsHigh[vector], low ^ countsLow[vector]);
  }

  /**
   * Whether a visited state has this content and counts at most {@code counts} at every replica,
   * fewer at one at least; walks the vectors replica by replica from {@code replica}, with the
   * counts of the replicas before it fixed in {@code prefix} (mixed radix, {@code radix} the weight
   * of {@code replica}).
   */
  private boolean isCovered(
      long high, long low, int[] counts, int replica, int prefix, int radix, int own) {
    if (replica == counts.length) {
      return prefix != own && keys.contains(high ^ countsHigh[prefix], low ^ countsLow[prefix]);
    }
    for (int count = 0; count <= counts[replica]; count++) {
      if (isCovered(
          high,
          low,
          counts,
          replica + 1,
          prefix + count * radix,
          radix * (budgets[replica] + 1),
          own)) {
        return true;
      }
    }
    return false;
  }

  private int vector(int[] counts) {
    int vector = 0;
    int radix = 1;
    for (int r = 0; r < counts.length; r++) {
      if (counts[r] < 0 || counts[r] > budgets[r]) {
        throw new IllegalStateException(
            "replica " + r + " received " + counts[r] + " duplicates, over its budget");
      }
      vector += counts[r] * radix;
      radix *= budgets[r] + 1;
    }
    return vector;
  }

  long size() {
    return keys.size();
  }
}
