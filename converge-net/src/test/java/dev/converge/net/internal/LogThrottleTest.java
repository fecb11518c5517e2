package dev.converge.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link LogThrottle} on a clock the test gives it. */
class LogThrottleTest {
  @Test
  void tryAcquire_oneLinePerInterval_countsThoseHeldBack() {
    LogThrottle throttle = new LogThrottle(1000);
    assertEquals(OptionalLong.of(0), throttle.tryAcquire(5_000));
    assertEquals(OptionalLong.empty(), throttle.tryAcquire(5_001));
    assertEquals(OptionalLong.empty(), throttle.tryAcquire(5_999));
    assertEquals(OptionalLong.of(2), throttle.tryAcquire(6_000));
    assertEquals(OptionalLong.of(0), throttle.tryAcquire(9_000));
    assertEquals(" (2 more not logged)", LogThrottle.heldBackSuffix(2));
    assertEquals("", LogThrottle.heldBackSuffix(0));
  }
}
