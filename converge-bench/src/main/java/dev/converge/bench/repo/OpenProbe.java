package dev.converge.bench.repo;

import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.sqlite.IfMissing;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The child JVM of {@link OpenBench}: {@code OpenProbe DIR FIRST_ID CACHE_SIZE}. Times {@code
 * Repo.open} up to the first document's value twice: cold (the first open in this JVM, which also
 * pays class loading and the extraction of SQLite's native library) and warm (a second open after
 * closing: the repository's own cost). Then reads every document once (so the handle cache fills
 * and evicts) and reports the heap in use after a full collection, next to the heap before the
 * open.
 */
public final class OpenProbe {
  private OpenProbe() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    DocumentId first = DocumentId.parse(args[1]);
    int cacheSize = Integer.parseInt(args[2]);
    RepoOptions options =
        RepoOptions.defaults().withIfMissing(IfMissing.REFUSE).withCacheSize(cacheSize);
    long heapBefore = RepoBench.heapUsedMb();
    long start = System.nanoTime();
    try (Repo repo = Repo.open(dir, options)) {
      repo.find(first).orElseThrow().toJson();
    }
    double coldMs = (System.nanoTime() - start) / 1e6;
    start = System.nanoTime();
    try (Repo repo = Repo.open(dir, options)) {
      String value = repo.find(first).orElseThrow().toJson();
      double firstReadableMs = (System.nanoTime() - start) / 1e6;
      if (value.isEmpty()) {
        throw new IllegalStateException("empty value");
      }
      long readStart = System.nanoTime();
      List<DocumentId> ids = repo.list();
      long valueChars = 0;
      for (DocumentId id : ids) {
        DocHandle handle = repo.find(id).orElseThrow();
        valueChars += handle.toJson().length();
      }
      double readAllMs = (System.nanoTime() - readStart) / 1e6;
      long heapAfter = RepoBench.heapUsedMb();
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"bench\":\"repo-open\",\"documents\":%d,\"changes\":%d,\"cache\":%d,"
                  + "\"cold_first_readable_ms\":%.1f,\"first_readable_ms\":%.1f,"
                  + "\"read_all_ms\":%.0f,\"value_chars\":%d,"
                  + "\"heap_before_mb\":%d,\"heap_after_read_all_mb\":%d,\"load_average\":%s}",
              ids.size(),
              repo.changes().endOffset(),
              cacheSize,
              coldMs,
              firstReadableMs,
              readAllMs,
              valueChars,
              heapBefore,
              heapAfter,
              RepoBench.loadAverage()));
    }
  }
}
