package dev.converge.core;

import java.util.Objects;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * The clock that stamps the {@code time} of local changes: a hybrid logical clock in Automerge's
 * unit, whole seconds since the Unix epoch (JavaScript Automerge 3.5 stamps {@code
 * Math.floor(Date.now() / 1000)}; Rust Automerge takes the caller's value, 0 by default).
 *
 * <p>A time it issues is the greatest of: the wall clock, the last time it issued, every sane time
 * it has observed (the changes a document applied or loaded), and the sane times of the new
 * change's direct dependencies. So a change's time is never less than that of a change it depends
 * on, the times this clock issues never decrease even when the wall clock jumps back, and while the
 * wall clock is ahead of everything seen the time is the wall clock itself.
 *
 * <p>A time is sane when it is at most {@link #futureBoundSeconds()} ahead of the clock's reference
 * (the later of the wall clock and the last time issued). A change from a device whose clock runs
 * far ahead keeps its time (the time is part of the change's hash), but that time is counted in
 * {@link #farFutureCount()} and not used, so one broken clock cannot drag every collaborator's
 * changes into the future. A change that depends on such a change may then carry an earlier time
 * than it: the one exception to "never less than its dependencies".
 *
 * <p>A restart: the clock keeps no state of its own. A document loaded from storage observes every
 * change it holds, so the next time it issues is at least the latest sane time among them, which
 * covers the changes this device made unless the wall clock has since gone back by more than the
 * bound. A device that knows which changes it made (by their actors) passes their latest time to
 * {@link #recover}, which trusts it whatever the wall clock says. A change lost in a crash before
 * it reached storage cannot be recovered this way.
 *
 * <p>Thread-safety: every method is synchronized, so one clock may serve every document of a device
 * (which makes the times of all its documents one non-decreasing sequence).
 */
public final class HybridClock {
  /**
   * The default bound on how far ahead a time may be and still be used: an hour, which covers
   * ordinary skew and a device that slipped by a time-zone hour, while a device whose date is days
   * or years ahead drags nobody.
   */
  public static final long FUTURE_BOUND_SECONDS_DEFAULT = 3_600;

  private static final long MILLIS_PER_SECOND = 1_000;

  private final LongSupplier wallMillis;
  private final long futureBoundSeconds;
  private long lastIssuedSeconds = Long.MIN_VALUE;
  private long observedSeconds = Long.MIN_VALUE;
  private long farFutureCount;

  private HybridClock(LongSupplier wallMillis, long futureBoundSeconds) {
    this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    if (futureBoundSeconds < 0) {
      throw new IllegalArgumentException(
          "futureBoundSeconds must be at least 0, found " + futureBoundSeconds);
    }
    this.futureBoundSeconds = futureBoundSeconds;
  }

  /** A clock over the system's wall clock, with the default bound. */
  public static HybridClock system() {
    return of(System::currentTimeMillis);
  }

  /** A clock over {@code wallMillis} (milliseconds since the epoch), with the default bound. */
  public static HybridClock of(LongSupplier wallMillis) {
    return of(wallMillis, FUTURE_BOUND_SECONDS_DEFAULT);
  }

  /**
   * A clock over {@code wallMillis} (milliseconds since the epoch) that uses times at most {@code
   * futureBoundSeconds} ahead of its reference.
   *
   * @throws IllegalArgumentException if {@code futureBoundSeconds} is negative
   */
  public static HybridClock of(LongSupplier wallMillis, long futureBoundSeconds) {
    return new HybridClock(wallMillis, futureBoundSeconds);
  }

  /** How far ahead of this clock's reference a time may be and still be used. */
  public long futureBoundSeconds() {
    return futureBoundSeconds;
  }

  /**
   * The time for a new local change whose direct dependencies carry {@code depTimesSeconds}, which
   * this clock issues: later calls never return less.
   */
  public synchronized long issue(long[] depTimesSeconds) {
    long reference = reference();
    long time = Math.max(reference, observedSeconds);
    long saneMax = saturatedAdd(reference, futureBoundSeconds);
    for (long dep : depTimesSeconds) {
      if (dep <= saneMax) {
        time = Math.max(time, dep);
      }
    }
    lastIssuedSeconds = time;
    return time;
  }

  /** What {@link #issue} would return now for a change with no dependencies, without issuing it. */
  public synchronized long peekSeconds() {
    return Math.max(reference(), observedSeconds);
  }

  /**
   * Takes note of the time of a change this device applied or loaded: a sane time raises the floor
   * of later times, one beyond the bound only counts in {@link #farFutureCount()}.
   */
  public synchronized void observe(long timeSeconds) {
    if (timeSeconds <= saturatedAdd(reference(), futureBoundSeconds)) {
      observedSeconds = Math.max(observedSeconds, timeSeconds);
    } else {
      farFutureCount++;
    }
  }

  /**
   * Takes note of the times {@code times} gives for {@code from} to {@code to} (exclusive), as
   * {@link #observe} each, under one lock and one reading of the wall clock: a loaded document
   * shows the clock one time per change it holds.
   */
  synchronized void observeAll(IntToLongFunction times, int from, int to) {
    long saneMax = saturatedAdd(reference(), futureBoundSeconds);
    long observed = observedSeconds;
    for (int i = from; i < to; i++) {
      long timeSeconds = times.applyAsLong(i);
      if (timeSeconds <= saneMax) {
        observed = Math.max(observed, timeSeconds);
      } else {
        farFutureCount++;
      }
    }
    observedSeconds = observed;
  }

  /**
   * Raises the clock to a time this device is known to have issued before (the latest time among
   * its own changes, after a restart), whatever the wall clock says now.
   */
  public synchronized void recover(long issuedSeconds) {
    lastIssuedSeconds = Math.max(lastIssuedSeconds, issuedSeconds);
  }

  /** The last time this clock issued or recovered, {@link Long#MIN_VALUE} if none. */
  public synchronized long lastIssuedSeconds() {
    return lastIssuedSeconds;
  }

  /**
   * How many observed change times were beyond the bound, each counted once per observation (a
   * metric: a device whose clock runs ahead shows up here).
   */
  public synchronized long farFutureCount() {
    return farFutureCount;
  }

  private long reference() {
    return Math.max(Math.floorDiv(wallMillis.getAsLong(), MILLIS_PER_SECOND), lastIssuedSeconds);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
