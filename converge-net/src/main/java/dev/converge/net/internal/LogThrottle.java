package dev.converge.net.internal;

import java.util.OptionalLong;

/**
 * At most one log line per interval for an event a client can repeat at will (a refused connection,
 * a bad token), counting the ones it held back, so that a flood of them cannot flood the log. Time
 * comes in from the caller, as monotonic nanoseconds.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
public final class LogThrottle {
  private final long intervalNanos;
  private boolean logged; // guarded by this
  private long lastNanos; // guarded by this
  private long heldBack; // guarded by this

  /**
   * @throws IllegalArgumentException if {@code intervalNanos} is not positive
   */
  public LogThrottle(long intervalNanos) {
    if (intervalNanos < 1) {
      throw new IllegalArgumentException("intervalNanos must be positive, was " + intervalNanos);
    }
    this.intervalNanos = intervalNanos;
  }

  /**
   * Whether to log this event: if so, how many like it were held back since the last line logged;
   * if not (empty), it is counted as held back.
   */
  public synchronized OptionalLong tryAcquire(long nowNanos) {
    if (logged && nowNanos - lastNanos < intervalNanos) {
      heldBack++;
      return OptionalLong.empty();
    }
    logged = true;
    lastNanos = nowNanos;
    long before = heldBack;
    heldBack = 0;
    return OptionalLong.of(before);
  }

  /** {@code " (N more not logged)"} for a count above zero, else an empty string. */
  public static String heldBackSuffix(long heldBack) {
    return heldBack == 0 ? "" : " (" + heldBack + " more not logged)";
  }
}
