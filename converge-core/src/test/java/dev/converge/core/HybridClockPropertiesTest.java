package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Properties of {@link HybridClock} over random histories: the wall clock advancing and jumping an
 * hour or a day either way, remote times near and far observed, changes issued with random deps.
 * Every choice comes from one {@link SplittableRandom} seeded by jqwik's seed.
 *
 * <p>Checked after every issue: times never decrease; never less than the wall clock; never less
 * than a dep or an observed time that was within the bound of the wall clock; always one of the
 * inputs (the wall clock, a dep, an observed time, the previous time), so never invented; and the
 * far-future count is exactly the observations beyond the bound of the clock's reference.
 */
class HybridClockPropertiesTest {
  private static final long START_MILLIS = 1_700_000_000_000L;
  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long BOUND_SECONDS = 600;

  @Property(tries = 500)
  void issue_anyHistory_monotonicAndAtLeastEverySaneInput(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] wall = {START_MILLIS};
    HybridClock clock = HybridClock.of(() -> wall[0], BOUND_SECONDS);
    long last = Long.MIN_VALUE;
    long floor = Long.MIN_VALUE;
    List<Long> inputs = new ArrayList<>();
    long farFuture = 0;
    for (int step = 0; step < 60; step++) {
      long wallSeconds = Math.floorDiv(wall[0], 1000);
      long reference = Math.max(wallSeconds, last);
      switch (random.nextInt(4)) {
        case 0 -> wall[0] += jump(random);
        case 1 -> {
          long remote = wallSeconds + random.nextLong(-2 * BOUND_SECONDS, 3 * BOUND_SECONDS);
          clock.observe(remote);
          inputs.add(remote);
          if (remote > reference + BOUND_SECONDS) {
            farFuture++;
          } else if (remote <= wallSeconds + BOUND_SECONDS) {
            floor = Math.max(floor, remote);
          }
        }
        default -> {
          long[] deps = new long[random.nextInt(3)];
          for (int i = 0; i < deps.length; i++) {
            deps[i] = wallSeconds + random.nextLong(-2 * BOUND_SECONDS, 3 * BOUND_SECONDS);
            inputs.add(deps[i]);
          }
          long issued = clock.issue(deps);
          String where = "seed " + seed + " step " + step;
          assertTrue(issued >= last, where + ": went back from " + last + " to " + issued);
          assertTrue(issued >= wallSeconds, where + ": behind the wall clock");
          assertTrue(issued >= floor, where + ": below a sane observed time");
          for (long dep : deps) {
            if (dep <= wallSeconds + BOUND_SECONDS) {
              assertTrue(issued >= dep, where + ": below its dep " + dep);
            }
          }
          assertTrue(
              issued == wallSeconds || issued == last || inputs.contains(issued),
              where + ": invented " + issued);
          last = issued;
        }
      }
      assertEquals(farFuture, clock.farFutureCount(), "seed " + seed + " step " + step);
    }
  }

  private static long jump(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> -24 * HOUR_MILLIS;
      case 1 -> -HOUR_MILLIS;
      case 2 -> HOUR_MILLIS;
      case 3 -> 24 * HOUR_MILLIS;
      default -> random.nextLong(0, 120_000);
    };
  }
}
