package dev.converge.repo.sqlite;

import dev.converge.core.Document;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Applies committed transactions to the cached documents ahead of the views' steps, on a thread of
 * its own ({@code converge-sqlite-views}), while the writer goes on with its next batch and its
 * commit; the next step then only writes the rows of the documents touched and moves the offset to
 * where the documents are ({@link #appliedTo}). A document the transaction touched that is not
 * cached is loaded there too, from its snapshot and its log read on a read-only connection of its
 * own (it sees every transaction handed over, since they committed first). Applying the changes,
 * and above all loading a whole document, was most of a step's cost on the writer thread, and
 * appends queued behind a step wait for it before they are durable.
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

  /**
   * The documents loaded on the views' thread since the views' offset, each with the log entries
   * after its snapshot it holds (for the snapshot policy); written there, read after {@link
   * #await}.
   */
  private final Map<String, Integer> loadedAhead = new HashMap<>();

  /** The views' thread's own read-only connection, for the documents it loads. */
  private final Connection reader;

  ApplyAhead(Connection reader) {
    this.reader = reader;
  }

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
    loadedAhead.clear();
  }

  /**
   * If the views' thread loaded {@code documentId} since the views' offset: how many log entries
   * after its snapshot it holds now; null when it was cached before and only applied to.
   */
  @Nullable Integer loadedAfterSnapshot(String documentId) {
    return loadedAhead.get(documentId);
  }

  /** By document, the entries applied ahead since the views' offset, in the order first touched. */
  Map<String, Integer> aheadByDocument() {
    return aheadByDocument;
  }

  /** Forgets what was applied ahead to a document that is being deleted. */
  void forget(String documentId) {
    aheadByDocument.remove(documentId);
    loadedAhead.remove(documentId);
  }

  /**
   * Hands a committed transaction's entries, which continue what the cached documents hold (its log
   * end before it was {@link #appliedTo}), to the views' thread, which applies them to the cached
   * documents and loads the others up to {@code endAfter}.
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
                  applyOrLoad(document.getKey(), document.getValue(), endAfter, cache);
                }
              } catch (SQLException e) {
                failure.compareAndSet(null, SqlErrors.map("the views cannot read the log", e));
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              }
            });
    appliedTo = endAfter;
  }

  /** On the views' thread: brings one document of a transaction handed over to {@code endAfter}. */
  private void applyOrLoad(
      String documentId, List<LogEntry> entries, long endAfter, DocumentCache cache)
      throws SQLException {
    Document cached = cache.get(documentId);
    if (cached == null) {
      DocumentCache.Loaded loaded = cache.load(reader, documentId, endAfter);
      loadedAhead.put(documentId, loaded.entriesAfterSnapshot());
    } else {
      DocumentCache.apply(documentId, cached, entries);
      loadedAhead.computeIfPresent(documentId, (id, since) -> since + entries.size());
    }
  }

  /**
   * Whether the views' thread is still applying or loading what it was handed: a step now would
   * wait for it.
   */
  boolean busy() {
    return !applying.isDone();
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

  /**
   * Stops the views' thread once it has applied what it was handed, and closes its connection.
   *
   * @throws SQLException if the connection does not close
   */
  void close() throws SQLException {
    thread.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    reader.close();
  }
}
