package dev.converge.bench.repo;

import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable appends: writer threads, each with its own document, one change per {@code
 * DocHandle.change}, each change counted only after its acknowledgement. Two seconds of warm-up,
 * then {@code seconds} measured. Afterwards, the time the views take to catch up with the log.
 */
final class AppendBench {
  private static final int WARMUP_SECONDS = 2;

  private AppendBench() {}

  static void run(Path dir, int writers, int seconds, int window) throws Exception {
    RepoBench.deleteRecursively(dir);
    try (Repo repo = Repo.open(dir, RepoOptions.defaults())) {
      LongAdder acknowledged = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(writers);
      for (int w = 0; w < writers; w++) {
        DocHandle handle = repo.create();
        Thread thread =
            new Thread(
                () -> {
                  write(handle, window, stop, acknowledged);
                  done.countDown();
                },
                "append-writer-" + w);
        thread.start();
      }
      Thread.sleep(WARMUP_SECONDS * 1000L);
      long before = acknowledged.sum();
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long counted = acknowledged.sum() - before;
      double elapsed = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      done.await();
      long catchUpStart = System.nanoTime();
      repo.views().orElseThrow().query("SELECT count(*) FROM documents", 1);
      double catchUpMs = (System.nanoTime() - catchUpStart) / 1e6;
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"bench\":\"repo-appends\",\"writers\":%d,\"window\":%d,\"seconds\":%.1f,"
                  + "\"acknowledged\":%d,\"appends_per_s\":%.0f,\"views_catch_up_ms\":%.0f,"
                  + "\"log_end\":%d,\"load_average\":%s}",
              writers,
              window,
              elapsed,
              counted,
              counted / elapsed,
              catchUpMs,
              repo.changes().endOffset(),
              RepoBench.loadAverage()));
    }
  }

  private static void write(
      DocHandle handle, int window, AtomicBoolean stop, LongAdder acknowledged) {
    ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    for (long n = 0; !stop.get(); n++) {
      long value = n;
      handle.change(tx -> tx.put(ObjId.ROOT, "n", value));
      inFlight.add(handle.whenDurable());
      if (inFlight.size() >= window) {
        inFlight.remove().join();
        acknowledged.increment();
      }
    }
    while (!inFlight.isEmpty()) {
      inFlight.remove().join();
    }
  }
}
