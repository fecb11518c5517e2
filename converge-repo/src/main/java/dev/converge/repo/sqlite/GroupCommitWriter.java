package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: one thread owns the write connection and drains everything queued into one
 * transaction, so concurrent writers share one fsync. A piece of work refused with a {@link
 * ConvergeException} is rolled back alone and fails alone (see {@link #runBatch}). Futures complete
 * only after the commit returned (the acknowledgement rule); if the commit fails, every future of
 * the batch fails and nothing of it is acknowledged.
 *
 * <p>Appends only insert log rows. The views trail the log ({@link ViewMaintainer}): this thread
 * advances them in their own transactions when no work has arrived for {@value #IDLE_MILLIS} ms
 * (long enough that the gaps between the batches of a steady load do not count as idle), and
 * whenever they are more than {@code viewLagMax} records behind, so the lag stays bounded under a
 * sustained load; but never while the views' thread is still applying or loading what it was
 * handed, since the step would wait for it (the lag then grows by what arrives meanwhile). A reader
 * that needs them current submits {@code catchUp} work, which waits.
 *
 * <p>The snapshots the views put off under load ({@link ViewMaintainer#writeDueSnapshots}) wait for
 * a quiet writer: no work for {@value #QUIET_MILLIS} ms. On a busy machine the writers of a steady
 * load often leave gaps longer than {@value #IDLE_MILLIS} ms, and saving whole documents in each of
 * them cost more of this thread than the appends did.
 *
 * <p>Per change, the work under this thread is kept small: the documents' rows are written once per
 * transaction ({@link LogState#writeDocuments}, before the commit), and after the commit the
 * changes just appended are handed to the views ({@link LogState#transactionCommitted}), which then
 * apply them without reading them back. Neither changes when a future completes: only after the
 * commit returned.
 *
 * <p>Thread-safety: {@link #submit} and {@link #close} may be called from any thread.
 */
final class GroupCommitWriter {
  interface Work<T> {
    @Nullable T run(LogState state) throws SQLException;
  }

  /**
   * A piece of work; one {@code alone} runs outside any transaction, after what was queued before
   * it committed (for statements SQLite refuses in a transaction, such as VACUUM).
   */
  private record Task(
      @Nullable Work<?> work, CompletableFuture<@Nullable Object> future, boolean alone) {}

  private static final Task STOP = new Task(null, new CompletableFuture<>(), false);
  private static final long IDLE_MILLIS = 20;
  private static final long QUIET_MILLIS = 250;

  /** Snapshots written in one idle transaction at most, so new work waits for a few saves only. */
  private static final int IDLE_SNAPSHOTS_MAX = 4;

  private final Connection connection;
  private final LogState state;
  private final int batchMax;
  private final int viewLagMax;
  private final LongConsumer committed;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Object lifecycle = new Object();
  private volatile boolean closed;
  private boolean viewsBehind = true;
  private long lastWorkNanos = System.nanoTime();

  /**
   * @param committed told the log's end offset after each commit that appended
   */
  GroupCommitWriter(
      Connection connection, LogState state, int batchMax, int viewLagMax, LongConsumer committed) {
    this.connection = connection;
    this.state = state;
    this.batchMax = batchMax;
    this.viewLagMax = viewLagMax;
    this.committed = committed;
    this.thread = new Thread(this::loop, "converge-sqlite-writer");
    thread.setDaemon(true);
    thread.start();
  }

  <T> CompletableFuture<T> submit(Work<T> work) {
    return enqueue(work, false);
  }

  /**
   * Runs {@code work} on the write connection in autocommit mode, outside any transaction, after
   * every piece of work queued before it committed. The work must leave no transaction open.
   */
  <T> CompletableFuture<T> submitAlone(Work<T> work) {
    return enqueue(work, true);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> enqueue(Work<T> work, boolean alone) {
    CompletableFuture<@Nullable Object> future = new CompletableFuture<>();
    synchronized (lifecycle) {
      if (closed) {
        future.completeExceptionally(closedException());
      } else {
        queue.add(new Task(work, future, alone));
      }
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) future;
  }

  void requireOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private void loop() {
    List<Task> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      batch.clear();
      Task first;
      try {
        first = viewsBehind ? queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS) : queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (first == null) {
        advanceViews(true);
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, batchMax - 1);
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        runInOrder(batch);
        lastWorkNanos = System.nanoTime();
      }
      if (state.endOffset() - state.views().offset() > viewLagMax) {
        advanceViews(false);
      }
    }
    markClosed();
  }

  /**
   * One bounded step of the views, in its own transaction; when {@code idle}, the writer quiet, and
   * the views up to date, a few of the snapshots they put off under load instead. Idle but not yet
   * quiet, the views stay marked behind while snapshots are due, so the loop comes back for them.
   * None while the views' thread is still at work on what it was handed: the step would wait for
   * it, and the appends behind the step with it.
   */
  private void advanceViews(boolean idle) {
    ViewMaintainer views = state.views();
    if (views.busyAhead()) {
      // The views' thread is still loading or applying: waiting for it here would hold up the
      // appends queued behind this step. The loop comes back once it is idle or the lag grows.
      viewsBehind = true;
      return;
    }
    try {
      boolean quiet =
          idle && System.nanoTime() - lastWorkNanos >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
      viewsBehind =
          views.step(quiet ? SnapshotPolicy.Pace.IDLE : SnapshotPolicy.Pace.UNDER_LOAD) > 0
              || (idle && views.writeDueSnapshots(quiet ? IDLE_SNAPSHOTS_MAX : 0));
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      // The views are derived and retried from their committed offset; a damaged log makes every
      // step fail, so stop trying until a reader asks (its catchUp reports the failure).
      viewsBehind = false;
      try {
        rollbackTransaction();
        state.transactionRolledBack();
      } catch (SQLException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
    }
  }

  /** Runs the batch's pieces in order: each run of ordinary pieces as one transaction. */
  private void runInOrder(List<Task> batch) {
    int start = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).alone()) {
        if (i > start) {
          runBatch(new ArrayList<>(batch.subList(start, i)));
        }
        runAlone(batch.get(i));
        start = i + 1;
      }
    }
    if (start == 0) {
      runBatch(batch);
    } else if (start < batch.size()) {
      runBatch(new ArrayList<>(batch.subList(start, batch.size())));
    }
  }

  /** Ends the (empty) open transaction, runs the work in autocommit mode, then opens the next. */
  private void runAlone(Task task) {
    try {
      connection.commit();
      connection.setAutoCommit(true);
      @Nullable Object result;
      try {
        result = java.util.Objects.requireNonNull(task.work()).run(state);
      } finally {
        connection.setAutoCommit(false);
      }
      task.future().complete(result);
    } catch (SQLException | RuntimeException e) {
      RuntimeException failure =
          e instanceof SQLException sql ? SqlErrors.map("write failed", sql) : (RuntimeException) e;
      rollbackAfter(failure);
      task.future().completeExceptionally(failure);
    }
  }

  /**
   * Runs a batch in one transaction. Refusals are rare (every append from a handle was accepted by
   * the engine already), so the batch first runs without savepoints, which cost two statements per
   * piece of work; only if a piece is refused is the transaction rolled back and the batch run
   * again with a savepoint around each piece.
   */
  private void runBatch(List<Task> batch) {
    @Nullable Object[] results = new Object[batch.size()];
    @Nullable RuntimeException[] refusals = new RuntimeException[batch.size()];
    long endBefore = state.endOffset();
    try {
      if (!runOptimistically(batch, results)) {
        rollbackTransaction();
        state.transactionRolledBack();
        runWithSavepoints(batch, results, refusals);
      } else {
        state.writeDocuments();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      RuntimeException failure =
          e instanceof SQLException sql
              ? SqlErrors.map("commit failed", sql)
              : (RuntimeException) e;
      rollbackAfter(failure);
      for (Task task : batch) {
        task.future().completeExceptionally(failure);
      }
      return;
    }
    state.transactionCommitted();
    if (state.endOffset() != endBefore) {
      viewsBehind = true;
      committed.accept(state.endOffset());
    }
    for (int i = 0; i < batch.size(); i++) {
      RuntimeException refusal = refusals[i];
      if (refusal != null) {
        batch.get(i).future().completeExceptionally(refusal);
      } else {
        batch.get(i).future().complete(results[i]);
      }
    }
  }

  /** Runs every piece; returns false at the first one refused, leaving the transaction dirty. */
  private boolean runOptimistically(List<Task> batch, @Nullable Object[] results)
      throws SQLException {
    for (int i = 0; i < batch.size(); i++) {
      state.beginWork();
      try {
        results[i] = java.util.Objects.requireNonNull(batch.get(i).work()).run(state);
      } catch (ConvergeException | IllegalArgumentException e) {
        return false;
      }
    }
    return true;
  }

  private void runWithSavepoints(
      List<Task> batch, @Nullable Object[] results, @Nullable RuntimeException[] refusals)
      throws SQLException {
    for (int i = 0; i < batch.size(); i++) {
      state.beginWork();
      Savepoint savepoint = connection.setSavepoint();
      try {
        results[i] = java.util.Objects.requireNonNull(batch.get(i).work()).run(state);
        state.writeDocuments();
        connection.releaseSavepoint(savepoint);
      } catch (ConvergeException | IllegalArgumentException e) {
        connection.rollback(savepoint);
        connection.releaseSavepoint(savepoint);
        state.rolledBack();
        refusals[i] = e;
      }
    }
  }

  /**
   * Rolls the write transaction back, leaving a new one open. SQLite rolls a transaction back by
   * itself after some errors (SQLITE_FULL in a statement it runs without a statement journal, such
   * as a one-row insert or update); sqlite-jdbc's rollback then fails ("no transaction is active")
   * before the BEGIN it issues after a rollback, and every later statement would commit on its own,
   * outside the batch it belongs to. So when the rollback fails and a BEGIN succeeds, SQLite had
   * rolled back already and the connection is as a rollback leaves it; when the BEGIN fails too, a
   * transaction is still open and the rollback's failure stands.
   */
  private void rollbackTransaction() throws SQLException {
    try {
      connection.rollback();
    } catch (SQLException failed) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN");
      } catch (SQLException stillOpen) {
        failed.addSuppressed(stillOpen);
        throw failed;
      }
    }
  }

  private void rollbackAfter(RuntimeException failure) {
    try {
      rollbackTransaction();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      state.transactionRolledBack();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void markClosed() {
    try (Statement statement = connection.createStatement()) {
      statement.execute("UPDATE meta SET value = 0 WHERE key = 'open'");
      connection.commit();
    } catch (SQLException e) {
      // The store stays marked open, so the next open runs quick_check: safe, only slower.
    } finally {
      try {
        state.views().close();
        state.close();
        connection.close();
      } catch (SQLException e) {
        // Closing after a commit cannot lose acknowledged data; nothing else to do here.
      }
    }
  }

  void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static StorageException closedException() {
    return new StorageException(ConvergeException.Kind.CLOSED, "the store is closed");
  }
}
