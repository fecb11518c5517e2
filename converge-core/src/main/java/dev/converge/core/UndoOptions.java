package dev.converge.core;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How an {@link UndoManager} groups changes.
 *
 * @param mergeIntervalMillis a change made less than this long after the previous one joins its
 *     undo group, so that a burst of typing undoes at once; 0 gives every change its own group
 * @param groupsMax how many groups undo keeps; past it the oldest is dropped
 * @param clockMillis the clock the interval is measured on, in milliseconds: a monotonic one such
 *     as {@code () -> System.nanoTime() / 1_000_000}, or a simulated one in tests
 */
public record UndoOptions(long mergeIntervalMillis, int groupsMax, LongSupplier clockMillis) {
  /** Half a second: keystrokes in one burst of typing, not two separate edits. */
  public static final long MERGE_INTERVAL_MILLIS_DEFAULT = 500;

  public static final int GROUPS_MAX_DEFAULT = 100;

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if {@code mergeIntervalMillis} is negative or {@code
   *     groupsMax} is below 1
   */
  public UndoOptions {
    if (mergeIntervalMillis < 0) {
      throw new IllegalArgumentException(
          "mergeIntervalMillis must be at least 0, found " + mergeIntervalMillis);
    }
    if (groupsMax < 1) {
      throw new IllegalArgumentException("groupsMax must be at least 1, found " + groupsMax);
    }
    Objects.requireNonNull(clockMillis, "clockMillis");
  }

  /** The default interval and depth, measured on {@code clockMillis}. */
  public static UndoOptions of(LongSupplier clockMillis) {
    return new UndoOptions(MERGE_INTERVAL_MILLIS_DEFAULT, GROUPS_MAX_DEFAULT, clockMillis);
  }

  /**
   * These options with another merge interval.
   *
   * @throws IllegalArgumentException if {@code millis} is negative
   */
  public UndoOptions withMergeIntervalMillis(long millis) {
    return new UndoOptions(millis, groupsMax, clockMillis);
  }

  /**
   * These options with another depth.
   *
   * @throws IllegalArgumentException if {@code groups} is below 1
   */
  public UndoOptions withGroupsMax(int groups) {
    return new UndoOptions(mergeIntervalMillis, groups, clockMillis);
  }
}
