package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link HybridClock} case by case; {@link HybridClockPropertiesTest} covers random histories. */
class HybridClockTest {
  private static final long NOW_SECONDS = 1_700_000_000L;
  private final AtomicLong wallMillis = new AtomicLong(NOW_SECONDS * 1000 + 999);
  private final HybridClock clock = HybridClock.of(wallMillis::get);

  @Test
  void issue_saneWallClock_isTheWallClockInWholeSeconds() {
    assertEquals(NOW_SECONDS, clock.issue(new long[0]));
  }

  @Test
  void issue_wallClockJumpsBack_neverDecreases() {
    clock.issue(new long[0]);
    wallMillis.addAndGet(-86_400_000L);

    assertEquals(NOW_SECONDS, clock.issue(new long[0]));
    wallMillis.addAndGet(86_400_000L + 5_000);
    assertEquals(NOW_SECONDS + 5, clock.issue(new long[0]), "back to the wall clock once ahead");
  }

  @Test
  void issue_depAheadWithinBound_isNotLessThanTheDep() {
    long dep = NOW_SECONDS + HybridClock.FUTURE_BOUND_SECONDS_DEFAULT;

    assertEquals(dep, clock.issue(new long[] {NOW_SECONDS - 10, dep}));
  }

  @Test
  void issue_depBeyondBound_isNotUsed() {
    long dep = NOW_SECONDS + HybridClock.FUTURE_BOUND_SECONDS_DEFAULT + 1;

    assertEquals(NOW_SECONDS, clock.issue(new long[] {dep}));
    assertEquals(0, clock.farFutureCount(), "deps were counted when observed, not again");
  }

  @Test
  void observe_withinBound_raisesLaterTimes() {
    clock.observe(NOW_SECONDS + 60);

    assertEquals(NOW_SECONDS + 60, clock.issue(new long[0]));
    assertEquals(0, clock.farFutureCount());
  }

  @Test
  void observe_farFuture_isCountedAndNotUsed() {
    clock.observe(NOW_SECONDS + 86_400);
    clock.observe(Long.MAX_VALUE);

    assertEquals(NOW_SECONDS, clock.issue(new long[0]));
    assertEquals(2, clock.farFutureCount());
  }

  @Test
  void observe_afterOwnClockJumpedBack_timesNearTheLastIssuedAreSane() {
    clock.issue(new long[0]);
    wallMillis.addAndGet(-86_400_000L);

    clock.observe(NOW_SECONDS + 30);

    assertEquals(0, clock.farFutureCount());
    assertEquals(NOW_SECONDS + 30, clock.peekSeconds());
  }

  @Test
  void recover_trustsItsOwnTimeWhateverTheWallClock() {
    wallMillis.addAndGet(-86_400_000L);

    clock.recover(NOW_SECONDS);

    assertEquals(NOW_SECONDS, clock.issue(new long[0]));
    assertEquals(NOW_SECONDS, clock.lastIssuedSeconds());
  }

  @Test
  void issue_negativeWallClock_roundsDown() {
    HybridClock early = HybridClock.of(() -> -1);

    assertEquals(-1, early.issue(new long[0]));
  }

  @Test
  void of_negativeBound_throws() {
    assertThrows(IllegalArgumentException.class, () -> HybridClock.of(wallMillis::get, -1));
  }
}
