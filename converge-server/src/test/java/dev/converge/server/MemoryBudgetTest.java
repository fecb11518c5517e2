package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryBudget} on its own: the total is exact through adds, removals and releases from many
 * threads; past half, frames that may be lost find no room; past the bound, the largest holders are
 * evicted, largest first, until the total is back under it. Random amounts come from seeded
 * generators, one per thread.
 */
class MemoryBudgetTest {
  @Test
  void shares_addAndRelease_totalIsTheSumOfWhatIsHeld() {
    MemoryBudget budget = new MemoryBudget(1000);
    MemoryBudget.Share a = budget.join("a", () -> {});
    MemoryBudget.Share b = budget.join("b", () -> {});
    a.add(100);
    b.add(250);
    a.add(-40);
    assertEquals(310, budget.heldBytes());
    b.release();
    assertEquals(60, budget.heldBytes());
    b.add(-250); // a write of the released connection completing later
    b.add(500);
    assertEquals(60, budget.heldBytes(), "a released share no longer counts");
    assertEquals(350, budget.peakBytes());
  }

  @Test
  void hasRoomForDroppable_onlyUnderHalfTheBound() {
    MemoryBudget budget = new MemoryBudget(1000);
    budget.join("a", () -> {}).add(400);
    assertTrue(budget.hasRoomForDroppable(100));
    assertFalse(budget.hasRoomForDroppable(101));
  }

  @Test
  void shedIfOver_evictsTheLargestHoldersFirst_untilUnderTheBound() {
    MemoryBudget budget = new MemoryBudget(1000);
    List<String> evicted = new CopyOnWriteArrayList<>();
    MemoryBudget.Share small = budget.join("small", () -> evicted.add("small"));
    MemoryBudget.Share large = budget.join("large", () -> evicted.add("large"));
    MemoryBudget.Share middle = budget.join("middle", () -> evicted.add("middle"));
    small.add(100);
    large.add(700);
    middle.add(400);
    budget.shedIfOver();
    assertEquals(List.of("large"), evicted);
    assertEquals(500, budget.heldBytes());
    middle.add(600);
    budget.shedIfOver();
    assertEquals(List.of("large", "middle"), evicted);
    assertEquals(100, budget.heldBytes());
    assertEquals(2, budget.evictions());
    budget.shedIfOver();
    assertEquals(2, evicted.size(), "under the bound: nobody else");
  }

  @Test
  void manyThreads_addRemoveAndRelease_leaveTheTotalAtZero() throws Exception {
    MemoryBudget budget = new MemoryBudget(Long.MAX_VALUE);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        SplittableRandom random = new SplittableRandom(thread);
        done.add(
            threads.submit(
                () -> {
                  for (int connection = 0; connection < 200; connection++) {
                    MemoryBudget.Share share = budget.join("c" + connection, () -> {});
                    List<Integer> held = new ArrayList<>();
                    for (int step = 0; step < 50; step++) {
                      if (!held.isEmpty() && random.nextBoolean()) {
                        share.add(-held.remove(held.size() - 1));
                      } else {
                        int bytes = random.nextInt(1, 1 << 16);
                        held.add(bytes);
                        share.add(bytes);
                      }
                    }
                    if (random.nextBoolean()) {
                      share.release();
                    }
                    for (int bytes : held) {
                      share.add(-bytes); // what a closed connection's writes return later
                    }
                    share.release();
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(0, budget.heldBytes());
  }
}
