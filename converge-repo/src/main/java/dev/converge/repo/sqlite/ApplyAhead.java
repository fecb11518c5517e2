package dev.converge.repo.sqlite;

import dev.converge.core.Document;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Applies committed transactions to the cached documents ahead of the views' steps, on a thread of
 * its own ({@code converge-sqlite-views}), while the writer goes on with its next batch and its
 * commit; the next step then only writes the rows of the documents touched and moves the offset to
 * where the documents are ({@link #appliedTo}). Applying the changes was most of a step's cost on
 * the writer thread, which bounds the store's throughput.
 *
 * <p>Only the writer thread hands work over, and every use of the cached documents on that thread
 * first waits for the work handed over ({@link #await}), so a document is never used by both
 * threads at once. A failure there is reported by the next wait, after which the writer rolls back
 * and resets the views.
 */
final class ApplyAhead {
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread views = new Thread(runnable, "converge-sqlite-views");
            views.setDaemon(true);
            return views;
          });

  /** The last piece of work handed to {@link #thread}; the earlier ones ran before it. */
  private Future<?> applying = CompletableFuture.completedFuture(null);

  /** The first failure on the views' thread since the last {@link #await}. */
  private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();

  /**
   * The log offset the cached documents reach once {@link #applying} is done: the views' offset, or
   * past it by transactions applied ahead.
   */
  private long appliedTo;

  /** By document, how many entries after the views' offset up to {@link #appliedTo} it has. */
  private final Map<String, Integer> aheadByDocument = new LinkedHashMap<>();

  long appliedTo() {
    return appliedTo;
  }

  /** The cached documents reach {@code offset} now: the views' offset, or none are cached. */
  void resetAppliedTo(long offset) {
    appliedTo = offset;
  }

  /** Forgets what was applied ahead: the views consumed it, or the cached documents go. */
  void clearAhead() {
    aheadByDocument.clear();
  }

  /** By document, the entries applied ahead since the views' offset, in the order first touched. */
  Map<String, Integer> aheadByDocument() {
    return aheadByDocument;
  }

  /** Forgets what was applied ahead to a document that is being deleted. */
  void forget(String documentId) {
    aheadByDocument.remove(documentId);
  }

  /**
   * Hands a committed transaction's entries, which continue what the cached documents hold (its log
   * end before it was {@link #appliedTo}), to the views' thread; documents not cached are skipped
   * there and loaded by the next step.
   */
  void submit(List<LogEntry.Committed> entries, long endAfter, DocumentCache cache) {
    Map<String, List<LogEntry>> byDocument = new LinkedHashMap<>();
    for (LogEntry.Committed entry : entries) {
      byDocument.computeIfAbsent(entry.documentId(), id -> new ArrayList<>()).add(entry);
      aheadByDocument.merge(entry.documentId(), 1, Integer::sum);
    }
    applying =
        thread.submit(
            () -> {
              if (failure.get() != null) {
                return;
              }
              try {
                for (Map.Entry<String, List<LogEntry>> document : byDocument.entrySet()) {
                  Document cached = cache.get(document.getKey());
                  if (cached != null) {
                    DocumentCache.apply(document.getKey(), cached, document.getValue());
                  }
                }
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              }
            });
    appliedTo = endAfter;
  }

  /**
   * Waits until the views' thread has applied everything handed to it; afterwards the calling
   * thread may use the cached documents.
   *
   * @throws RuntimeException what failed there since the last wait (the cached documents are then
   *     unreliable: the caller's rollback resets them)
   */
  void await() {
    boolean interrupted = false;
    while (true) {
      try {
        applying.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        failure.compareAndSet(null, new IllegalStateException(e.getCause()));
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException failed = failure.getAndSet(null);
    if (failed != null) {
      throw failed;
    }
  }

  /** Stops the views' thread once it has applied what it was handed. */
  void close() {
    thread.shutdown();
  }
}
