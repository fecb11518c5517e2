package dev.converge.server;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.Storage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention ({@code converge serve --retain-days N}): a sweep purges every stored document nobody
 * used for N days, through the server's purge path (its sync sessions drop it, its bytes are
 * overwritten, its ID is refused from then on), and counts the documents by age for {@code
 * /metrics}.
 *
 * <p>A document is used when a client requests or syncs it, or when it gains a change ({@link
 * #used}); each use is written to the store's {@code touched} table at most once per {@value
 * #TOUCH_INTERVAL_MILLIS} ms per document (so its age is known to that precision, far finer than a
 * day), and a sweep counts a document's age from its latest recorded use. A document stored before
 * the server recorded uses (its store was made by an earlier version) is counted as used when the
 * first sweep sees it: retention never purges a document sooner than N days after the server
 * started watching it. Time comes from an {@link InstantSource}, so tests move it.
 *
 * <p>Thread-safety: safe for use by many threads; sweeps run on the server's timer thread.
 */
final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  static final long DAY_MILLIS = 86_400_000L;
  static final long TOUCH_INTERVAL_MILLIS = 3_600_000L;

  /** The labels of {@code converge_documents_by_age}: days since the last use. */
  static final List<String> AGE_BUCKETS =
      List.of("under-1d", "1d-to-7d", "7d-to-30d", "30d-to-365d", "365d-or-more");

  private static final long[] AGE_BOUNDS_DAYS = {1, 7, 30, 365};

  private final Storage storage;
  private final Predicate<DocumentId> purge;
  private final InstantSource clock;
  private final int retainDays;
  private final ServerMetrics metrics;
  private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();

  /**
   * @param purge purges one document through the server's purge path; returns whether it existed
   * @param retainDays 0 to purge nothing (the sweep then only counts)
   */
  Retention(
      Storage storage,
      Predicate<DocumentId> purge,
      InstantSource clock,
      int retainDays,
      ServerMetrics metrics) {
    this.storage = storage;
    this.purge = purge;
    this.clock = clock;
    this.retainDays = retainDays;
    this.metrics = metrics;
  }

  /** A client requested or synced the document, or it gained a change. Does not block. */
  void used(DocumentId id) {
    long now = clock.millis();
    String key = id.toString();
    Long last = lastWritten.get(key);
    if (last != null && now - last < TOUCH_INTERVAL_MILLIS && now >= last) {
      return;
    }
    lastWritten.put(key, now);
    storage
        .touch(key, now)
        .exceptionally(
            failure -> {
              lastWritten.remove(key); // written at the next use instead
              log.warn("recording a use of document={} failed: {}", key, failure.getMessage());
              return null;
            });
  }

  /**
   * One sweep: purges what is due, then sets the age gauges.
   *
   * @return the documents purged
   */
  List<DocumentId> sweep() {
    long now = clock.millis();
    Map<String, Long> touched = storage.touchedMillis();
    Map<String, Long> counts = new HashMap<>();
    List<DocumentId> purged = new ArrayList<>();
    List<CompletableFuture<Void>> firstSeen = new ArrayList<>();
    for (String key : storage.documentIds()) {
      Long last = touched.get(key);
      if (last == null) {
        firstSeen.add(storage.touch(key, now));
        last = now;
      }
      long ageMillis = Math.max(0, now - last);
      if (retainDays > 0 && ageMillis >= retainDays * DAY_MILLIS) {
        Optional<DocumentId> done = purgeQuietly(key, ageMillis);
        if (done.isPresent()) {
          purged.add(done.get());
          continue;
        }
      }
      counts.merge(bucket(ageMillis), 1L, Long::sum);
    }
    CompletableFuture.allOf(firstSeen.toArray(new CompletableFuture<?>[0])).join();
    metrics.documentsByAge(counts);
    return purged;
  }

  private Optional<DocumentId> purgeQuietly(String key, long ageMillis) {
    DocumentId id = DocumentId.parse(key);
    try {
      if (!purge.test(id)) {
        return Optional.empty(); // gone already: purged by a client meanwhile
      }
    } catch (ConvergeException e) {
      // Kept, and tried again at the next sweep; the other documents go on.
      log.warn("retention: purge of document={} failed: {}", key, e.getMessage());
      return Optional.empty();
    }
    lastWritten.remove(key);
    metrics.retainedPurged();
    log.info(
        "retention: purged document={}, unused for {} days (--retain-days {})",
        key,
        ageMillis / DAY_MILLIS,
        retainDays);
    return Optional.of(id);
  }

  static String bucket(long ageMillis) {
    long days = ageMillis / DAY_MILLIS;
    for (int i = 0; i < AGE_BOUNDS_DAYS.length; i++) {
      if (days < AGE_BOUNDS_DAYS[i]) {
        return AGE_BUCKETS.get(i);
      }
    }
    return AGE_BUCKETS.get(AGE_BUCKETS.size() - 1);
  }
}
