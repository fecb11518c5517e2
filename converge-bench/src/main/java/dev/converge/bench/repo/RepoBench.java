package dev.converge.bench.repo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmarks of the SQLite repository, against the targets of issue 5.
 *
 * <p>Run (after {@code mvn -pl converge-bench -am package -DskipTests}):
 *
 * <pre>
 * java -Xmx2g -cp converge-bench/target/converge-bench.jar dev.converge.bench.repo.RepoBench \
 *     [appends] [open] [query] [--writers 8] [--seconds 10] [--window 1] [--keys 1] \
 *     [--warmup 10] [--runs 3] \
 *     [--docs 10000] [--changes 1000000] [--cache 1000] [--query-docs 100000] [--dir DIR]
 * </pre>
 *
 * <ul>
 *   <li><b>appends</b> ({@link AppendBench}): {@code --writers} threads, each with its own
 *       document, make one change per {@code DocHandle.change} and wait for it to be durable
 *       ({@code synchronous=FULL}, group commit) before counting it; with {@code --window W} a
 *       writer keeps up to W changes in flight, still waiting for each one's acknowledgement.
 *       {@code --warmup} seconds of appends come first, then {@code --runs} windows of {@code
 *       --seconds} each. {@code --keys K} spreads the puts over K keys of the root map (see {@link
 *       AppendBench} for why that matters and for exactly what the figures mean). Target: 50,000
 *       changes/s with 8 writers.
 *   <li><b>open</b> ({@link OpenBench}): a repository of {@code --docs} documents and {@code
 *       --changes} changes is generated once (through the store, in big batches) and opened in a
 *       fresh JVM ({@link OpenProbe}): time from {@code Repo.open} until the first document is
 *       readable (target 100 ms), then every document is read once and the heap measured, with
 *       {@code --cache} documents in the handle cache (target: bounded by the cache, not the
 *       repository).
 *   <li><b>query</b> ({@link QueryBench}): a {@code documents}-table query with JSON functions over
 *       {@code --query-docs} documents (target under 1 s).
 * </ul>
 *
 * <p>Generated repositories go under {@code --dir} (default: a new temporary directory) and are
 * reused when the same sizes are asked again. Machine settings that matter: other load on the cores
 * (each result carries the load average), the disk's fsync latency (appends), the heap ({@code
 * -Xmx2g}). Expected before measuring: with 8 writers each waiting for its change (window 1), a
 * batch holds at most 8 changes, so appends/s is at most 8 / (fsync + insert + wake-up time):
 * roughly 8 / 150 µs = 50,000/s with an fsync of ~100 µs, but only 8 / 3.5 ms = 2,300/s with the 3
 * to 5 ms per commit measured on 2026-11-29 while other builds kept the disk and both cores busy.
 * With a window of W, up to 8 x W changes share a commit, so the fsync stops being the limit once 8
 * x W exceeds the rate times the commit time (50,000/s x 5 ms = 250 changes: W of 32 or more), and
 * the CPU per change (engine, JDBC and SQLite, views; {@code cpu_us_per_change}) decides: on 2
 * cores, 50,000/s needs it under 40 µs. The open costs two connections and one document's snapshot
 * plus tail; the query is a scan of 100,000 JSON values.
 *
 * <p>Output: one JSON object per measurement on stdout.
 */
public final class RepoBench {
  private RepoBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          usage("missing value for " + args[i]);
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        parts.add(args[i]);
      }
    }
    if (parts.isEmpty()) {
      parts = List.of("appends", "open", "query");
    }
    Path dir =
        options.containsKey("dir")
            ? Path.of(options.get("dir"))
            : Files.createTempDirectory("converge-repo-bench");
    for (String part : parts) {
      switch (part) {
        case "appends" ->
            AppendBench.run(
                dir.resolve("appends"),
                intOption(options, "writers", 8),
                intOption(options, "seconds", 10),
                intOption(options, "window", 1),
                intOption(options, "keys", 1),
                intOption(options, "warmup", 10),
                intOption(options, "runs", 3));
        case "open" ->
            OpenBench.run(
                dir,
                intOption(options, "docs", 10_000),
                intOption(options, "changes", 1_000_000),
                intOption(options, "cache", 1000));
        case "query" -> QueryBench.run(dir, intOption(options, "query-docs", 100_000));
        default -> usage("unknown part " + part);
      }
    }
  }

  private static int intOption(Map<String, String> options, String name, int fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      usage("--" + name + " takes a number, found " + value);
      throw new AssertionError(e);
    }
  }

  private static void usage(String problem) {
    System.err.println("RepoBench: " + problem);
    System.err.println(
        "usage: RepoBench [appends] [open] [query] [--writers N] [--seconds S] [--window W]"
            + " [--keys K] [--warmup S] [--runs N] [--docs N] [--changes N] [--cache N] [--query-docs N] [--dir DIR]");
    System.exit(2);
  }

  /** The one-minute system load average, for the record next to every figure. */
  static String loadAverage() {
    return String.format(
        Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** Heap in use after a full collection, in MiB. */
  static long heapUsedMb() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
