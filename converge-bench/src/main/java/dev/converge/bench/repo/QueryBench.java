package dev.converge.bench.repo;

import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.spi.ViewStore;
import dev.converge.repo.sqlite.IfMissing;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A query of the {@code documents} table with SQLite's JSON functions over every document of a
 * generated repository (one change per document): a scan that extracts two fields of each value,
 * filters on one and aggregates the other. The first query (which also lets the views catch up, a
 * no-op here since generation left them current) is a warm-up; the median of five is reported.
 */
final class QueryBench {
  private static final String SQL =
      "SELECT count(*) AS todos, sum(json_extract(value, '$.n')) AS total FROM documents"
          + " WHERE json_extract(value, '$.kind') = 'todo'";
  private static final int RUNS = 5;

  private QueryBench() {}

  static void run(Path dir, int documents) throws Exception {
    Path repoDir = dir.resolve("query-" + documents);
    BigRepos.generate(repoDir, documents, documents);
    try (Repo repo = Repo.open(repoDir, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE))) {
      ViewStore views = repo.views().orElseThrow();
      Object todos = views.query(SQL, 1).get(0).get("todos");
      double[] millis = new double[RUNS];
      for (int run = 0; run < RUNS; run++) {
        long start = System.nanoTime();
        views.query(SQL, 1);
        millis[run] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(millis);
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"bench\":\"repo-query\",\"documents\":%d,\"todos\":%s,\"median_ms\":%.1f,"
                  + "\"min_ms\":%.1f,\"max_ms\":%.1f,\"load_average\":%s}",
              documents,
              todos,
              millis[RUNS / 2],
              millis[0],
              millis[RUNS - 1],
              RepoBench.loadAverage()));
    }
  }
}
