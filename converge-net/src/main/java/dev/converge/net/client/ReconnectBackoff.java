package dev.converge.net.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a client waits before dialing again after a connection failed or closed: exponential
 * from {@code initial}, capped at {@code max}, with "equal jitter" (a random half of the delay) so
 * that many clients cut off by one server restart do not all come back in the same instant.
 *
 * @param initial the delay after the first failure
 * @param max the longest delay
 * @param multiplier how much each further failure multiplies the delay (at least 1)
 */
public record ReconnectBackoff(Duration initial, Duration max, double multiplier) {
  /** 100 ms doubling up to 10 s. */
  public static final ReconnectBackoff DEFAULT =
      new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0);

  public ReconnectBackoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max (" + max + ") must be at least initial " + initial);
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
    }
  }

  /**
   * The delay before attempt {@code failures + 1}, in milliseconds: between half and all of {@code
   * min(max, initial * multiplier^(failures - 1))}.
   *
   * @param failures how many attempts in a row failed, at least 1
   */
  public long delayMillis(int failures, RandomGenerator random) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, was " + failures);
    }
    double uncapped =
        (double) initial.toMillis() * Math.pow(multiplier, Math.min(failures - 1, 62));
    long ceiling = (long) Math.min((double) max.toMillis(), uncapped);
    long half = ceiling / 2;
    return half + random.nextLong(ceiling - half + 1);
  }
}
