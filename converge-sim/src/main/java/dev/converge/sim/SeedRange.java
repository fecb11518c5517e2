package dev.converge.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Runs a range of seeds, each independent of the others, on a few threads. Each seed is one {@link
 * Simulation} (or {@link SealedSimulation}, as its options say) with its own PRNG, so running in
 * parallel changes nothing but the wall time.
 */
public final class SeedRange {
  /** The outcome of a range: how many passed, and the failing runs in seed order. */
  public record Outcome(long passed, List<SimResult> failures) {
    public Outcome {
      failures = List.copyOf(failures);
    }

    public long failed() {
      return failures.size();
    }
  }

  private SeedRange() {}

  /** Threads to start for seeds {@code first..last}: {@code threads}, but no more than seeds. */
  static int workerCount(long first, long last, int threads) {
    long seeds = last - first + 1;
    // A range over most of the longs overflows to zero or below: it has more seeds than threads.
    return seeds > 0 && seeds < threads ? (int) seeds : threads;
  }

  /**
   * Runs seeds {@code first} to {@code last}, both included.
   *
   * @param optionsOf the options for each seed
   * @param threads how many seeds run at once, at least 1
   * @param progress called after each seed with the count done so far (from any thread)
   * @throws InterruptedException if interrupted while waiting for the runs
   */
  public static Outcome run(
      long first,
      long last,
      LongFunction<SimOptions> optionsOf,
      int threads,
      java.util.function.LongConsumer progress)
      throws InterruptedException {
    if (last < first) {
      throw new IllegalArgumentException("empty seed range " + first + ".." + last);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    AtomicLong nextSeed = new AtomicLong(first);
    AtomicLong done = new AtomicLong();
    int workerCount = workerCount(first, last, threads);
    ExecutorService pool = Executors.newFixedThreadPool(workerCount);
    try {
      List<Future<List<SimResult>>> workers = new ArrayList<>();
      for (int i = 0; i < workerCount; i++) {
        workers.add(
            pool.submit(
                () -> {
                  List<SimResult> failures = new ArrayList<>();
                  for (long seed = nextSeed.getAndIncrement();
                      seed <= last;
                      seed = nextSeed.getAndIncrement()) {
                    SimResult result = optionsOf.apply(seed).run();
                    if (!result.passed()) {
                      failures.add(result);
                    }
                    progress.accept(done.incrementAndGet());
                  }
                  return failures;
                }));
      }
      List<SimResult> failures = new ArrayList<>();
      for (Future<List<SimResult>> worker : workers) {
        try {
          failures.addAll(worker.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a simulator thread failed", e.getCause());
        }
      }
      failures.sort((a, b) -> Long.compare(a.options().seed(), b.options().seed()));
      long total = last - first + 1;
      return new Outcome(total - failures.size(), failures);
    } finally {
      pool.shutdownNow();
    }
  }
}
