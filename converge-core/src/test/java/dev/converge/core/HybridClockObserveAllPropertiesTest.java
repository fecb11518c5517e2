package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Observing many times at once (as a load does) is observing each, one after another. */
class HybridClockObserveAllPropertiesTest {
  private static final long START_MILLIS = 1_700_000_000_000L;
  private static final long BOUND_SECONDS = 600;

  @Property(tries = 200)
  void observeAll_anyTimes_sameAsObservingEach(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] times = new long[random.nextInt(40)];
    for (int i = 0; i < times.length; i++) {
      times[i] = START_MILLIS / 1000 + random.nextLong(-3 * BOUND_SECONDS, 3 * BOUND_SECONDS);
    }
    int from = times.length == 0 ? 0 : random.nextInt(times.length);
    HybridClock each = HybridClock.of(() -> START_MILLIS, BOUND_SECONDS);
    HybridClock all = HybridClock.of(() -> START_MILLIS, BOUND_SECONDS);

    for (int i = from; i < times.length; i++) {
      each.observe(times[i]);
    }
    all.observeAll(i -> times[i], from, times.length);

    assertEquals(each.farFutureCount(), all.farFutureCount(), "seed " + seed);
    assertEquals(each.peekSeconds(), all.peekSeconds(), "seed " + seed);
    assertEquals(each.issue(new long[0]), all.issue(new long[0]), "seed " + seed);
  }
}
