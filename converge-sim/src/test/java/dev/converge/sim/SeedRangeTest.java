package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many threads a seed range starts: never more than it has seeds. */
class SeedRangeTest {
  @Test
  void workerCount_fewerSeedsThanThreads_oneThreadPerSeed() {
    assertEquals(2, SeedRange.workerCount(1, 2, 8));
    assertEquals(1, SeedRange.workerCount(5, 5, 8));
  }

  @Test
  void workerCount_moreSeedsThanThreads_theThreadsAsked() {
    assertEquals(8, SeedRange.workerCount(1, 100, 8));
    assertEquals(8, SeedRange.workerCount(1, 8, 8));
  }

  @Test
  void workerCount_rangeOverflowingALong_theThreadsAsked() {
    assertEquals(4, SeedRange.workerCount(Long.MIN_VALUE, Long.MAX_VALUE, 4));
  }
}
