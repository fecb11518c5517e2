package dev.converge.server;

import java.time.Duration;

/** The checks the compact constructors of {@link ServerOptions} and {@link ServerLimits} share. */
final class OptionChecks {
  private OptionChecks() {}

  /**
   * @throws IllegalArgumentException naming {@code name} if {@code value} is below 1
   */
  static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /**
   * @throws IllegalArgumentException naming both if {@code value} is below {@code floor}
   */
  static void requireAtLeast(String name, long value, String floorName, long floor) {
    if (value < floor) {
      throw new IllegalArgumentException(
          name + " (" + value + ") must be at least " + floorName + " (" + floor + ")");
    }
  }

  /**
   * @throws IllegalArgumentException naming {@code name} if {@code value} is under 1 ms
   */
  static void requireMillis(String name, Duration value) {
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
    }
  }
}
