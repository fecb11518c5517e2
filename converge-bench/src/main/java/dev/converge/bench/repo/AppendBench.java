package dev.converge.bench.repo;

import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable appends: writer threads, each with its own document, one change per {@code
 * DocHandle.change}, each change counted only after its acknowledgement. The writers run without
 * pause: {@code warmup} seconds first (the JIT compiles the engine, JDBC and the views' code; on 2
 * cores that took a fifth to a third of the CPU for the first 10 to 15 seconds), then {@code runs}
 * measured windows of {@code seconds} each, one JSON line per window, and a summary line with the
 * median, the lowest and the highest rate. Each window comes after the last, so later windows carry
 * a longer history (see below) and are not easier. Afterwards, the time the views take to catch up
 * with the log.
 *
 * <p>What {@code appends_per_s} means: changes whose {@code whenDurable()} future completed during
 * the measured seconds, divided by those seconds. A future completes only after the SQLite
 * transaction holding the change committed with {@code synchronous=FULL} (the WAL fsynced), so
 * every counted change survives a crash and, on an honest disk, a power cut. With {@code --window
 * W} each writer has up to W changes made and submitted but not yet acknowledged (it waits for the
 * oldest before making the next), so up to writers x W changes can share one commit; with a window
 * of 1 each writer waits for every change, and a commit holds at most one change per writer. The
 * views (documents table, full text, snapshots) are maintained by the store while the appends run
 * (the changes applied on the views' own thread, the rows written by the store's writer thread), so
 * their cost is inside the figure; {@code views_catch_up_ms} is what was left when the writers
 * stopped.
 *
 * <p>Each change puts a number under one of {@code keys} keys of the root map, in turn (key {@code
 * n} when there is one key). A put's cost in the engine grows with the number of earlier values of
 * its key (every change of a one-key run overwrites the same key), so with one key the engine's
 * cost per change grows with the length of the run; more keys keep that history short and leave the
 * store's cost in view. {@code cpu_us_per_change} is the process's CPU time (all threads: writers,
 * the engine, JDBC, SQLite, the views) over the measured seconds per counted change: a figure that
 * depends much less than the rate on what else the machine is running. {@code
 * store_thread_cpu_us_per_change} is the part of it spent on the store's one writer thread (SQLite
 * writes, the views' rows): that thread runs serially, so its figure bounds the rate from above at
 * one core's worth of CPU a second; {@code views_thread_cpu_us_per_change} is the views applying
 * the changes beside it; {@code writer_threads_cpu_us_per_change} is the engine's part on the
 * writer threads.
 */
final class AppendBench {
  private AppendBench() {}

  static void run(
      Path dir, int writers, int seconds, int window, int keys, int warmupSeconds, int runs)
      throws Exception {
    if (writers < 1 || seconds < 1 || window < 1 || keys < 1 || warmupSeconds < 0 || runs < 1) {
      throw new IllegalArgumentException(
          "writers, seconds, window, keys and runs must be >= 1 and warmup >= 0, found "
              + List.of(writers, seconds, window, keys, runs, warmupSeconds));
    }
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
                  write(handle, window, keys, stop, acknowledged);
                  done.countDown();
                },
                "append-writer-" + w);
        thread.start();
      }
      Thread.sleep(warmupSeconds * 1000L);
      List<Double> rates = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        rates.add(measure(repo, run, writers, seconds, window, keys, acknowledged));
      }
      stop.set(true);
      done.await();
      long catchUpStart = System.nanoTime();
      repo.views().orElseThrow().query("SELECT count(*) FROM documents", 1);
      double catchUpMs = (System.nanoTime() - catchUpStart) / 1e6;
      List<Double> sorted = new ArrayList<>(rates);
      Collections.sort(sorted);
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"bench\":\"repo-appends-summary\",\"writers\":%d,\"window\":%d,\"keys\":%d,"
                  + "\"warmup_seconds\":%d,\"runs\":%d,\"seconds_each\":%d,"
                  + "\"appends_per_s_median\":%.0f,\"appends_per_s_min\":%.0f,"
                  + "\"appends_per_s_max\":%.0f,\"views_catch_up_ms\":%.0f,\"log_end\":%d}",
              writers,
              window,
              keys,
              warmupSeconds,
              runs,
              seconds,
              sorted.get(sorted.size() / 2),
              sorted.get(0),
              sorted.get(sorted.size() - 1),
              catchUpMs,
              repo.changes().endOffset()));
    }
  }

  /** One measured window of {@code seconds}, printed as one JSON line; returns appends/s. */
  private static double measure(
      Repo repo, int run, int writers, int seconds, int window, int keys, LongAdder acknowledged)
      throws InterruptedException {
    long before = acknowledged.sum();
    long cpuBefore = processCpuNanos();
    Map<String, Long> threadsBefore = cpuByThreadGroup();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long counted = acknowledged.sum() - before;
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3;
    Map<String, Long> threadsAfter = cpuByThreadGroup();
    double rate = counted / elapsed;
    System.out.println(
        String.format(
            Locale.ROOT,
            "{\"bench\":\"repo-appends\",\"run\":%d,\"writers\":%d,\"window\":%d,"
                + "\"keys\":%d,\"seconds\":%.1f,\"acknowledged\":%d,\"appends_per_s\":%.0f,"
                + "\"cpu_us_per_change\":%.1f,\"store_thread_cpu_us_per_change\":%.1f,"
                + "\"views_thread_cpu_us_per_change\":%.1f,"
                + "\"writer_threads_cpu_us_per_change\":%.1f,\"log_end\":%d,"
                + "\"load_average\":%s}",
            run,
            writers,
            window,
            keys,
            elapsed,
            counted,
            rate,
            perChange(cpuMicros, counted),
            perChange(cpuDelta(threadsBefore, threadsAfter, STORE), counted),
            perChange(cpuDelta(threadsBefore, threadsAfter, VIEWS), counted),
            perChange(cpuDelta(threadsBefore, threadsAfter, WRITERS), counted),
            repo.changes().endOffset(),
            RepoBench.loadAverage()));
    return rate;
  }

  private static double perChange(double micros, long counted) {
    return counted == 0 ? 0.0 : micros / counted;
  }

  private static double cpuDelta(Map<String, Long> before, Map<String, Long> after, String group) {
    return (after.getOrDefault(group, 0L) - before.getOrDefault(group, 0L)) / 1e3;
  }

  private static void write(
      DocHandle handle, int window, int keys, AtomicBoolean stop, LongAdder acknowledged) {
    ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    String[] names = new String[keys];
    for (int k = 0; k < keys; k++) {
      names[k] = keys == 1 ? "n" : "k" + k;
    }
    for (long n = 0; !stop.get(); n++) {
      long value = n;
      String key = names[(int) (n % keys)];
      handle.change(tx -> tx.put(ObjId.ROOT, key, value));
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

  private static final String STORE = "store";
  private static final String VIEWS = "views";
  private static final String WRITERS = "writers";

  /**
   * CPU time so far of the store's writer thread (which runs every SQLite write and the views, one
   * thread for the whole store, so it bounds the rate) and of the benchmark's writer threads (the
   * engine's local changes).
   */
  private static Map<String, Long> cpuByThreadGroup() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      String name = info.getThreadName();
      String group =
          name.equals("converge-sqlite-writer")
              ? STORE
              : name.equals("converge-sqlite-views")
                  ? VIEWS
                  : name.startsWith("append-writer-") ? WRITERS : "other";
      long nanos = threads.getThreadCpuTime(info.getThreadId());
      if (nanos > 0) {
        cpu.merge(group, nanos, Long::sum);
      }
    }
    return cpu;
  }

  /** CPU time of the whole process so far (every thread, user and system). */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
