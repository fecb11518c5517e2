package dev.converge.sim;

/**
 * Simulated time: a millisecond counter that only the simulation moves, never the wall clock.
 * Replicas read it through their own wall clocks, which may have jumped ({@link Replica}).
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SimClock {
  /** Time starts here (2023-11-14), so clock jumps backwards stay positive. */
  static final long START_MILLIS = 1_700_000_000_000L;

  private long nowMillis = START_MILLIS;

  long nowMillis() {
    return nowMillis;
  }

  void advance(long millis) {
    nowMillis += millis;
  }

  /** Moves time to {@code millis}, if that is later. */
  void advanceTo(long millis) {
    nowMillis = Math.max(nowMillis, millis);
  }
}
