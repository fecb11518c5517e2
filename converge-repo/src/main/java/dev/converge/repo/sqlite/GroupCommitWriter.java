package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: one thread owns the write connection and drains the queue of submitted work into
 * one transaction, so concurrent writers share one fsync. Each piece of work runs under a
 * savepoint: one refused with a {@link ConvergeException} is rolled back alone and fails alone. The
 * views are brought up to date ({@link LogState#flush}) inside the same transaction, and futures
 * complete only after the commit returned (the acknowledgement rule). If the commit fails, every
 * future of the batch fails and nothing of it is acknowledged.
 *
 * <p>Thread-safety: {@link #submit} and {@link #close} may be called from any thread.
 */
final class GroupCommitWriter {
  interface Work<T> {
    @Nullable T run(LogState state) throws SQLException;
  }

  private record Task(@Nullable Work<?> work, CompletableFuture<@Nullable Object> future) {}

  private static final Task STOP = new Task(null, new CompletableFuture<>());

  private final Connection connection;
  private final LogState state;
  private final int batchMax;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  GroupCommitWriter(Connection connection, LogState state, int batchMax) {
    this.connection = connection;
    this.state = state;
    this.batchMax = batchMax;
    this.thread = new Thread(this::loop, "converge-sqlite-writer");
    thread.setDaemon(true);
    thread.start();
  }

  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> submit(Work<T> work) {
    CompletableFuture<@Nullable Object> future = new CompletableFuture<>();
    synchronized (lifecycle) {
      if (closed) {
        future.completeExceptionally(closedException());
      } else {
        queue.add(new Task(work, future));
      }
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) future;
  }

  void requireOpen() {
    if (closed) {
      throw closedException();
    }
  }

  /** Waits for a future, rethrowing its Converge failure as is. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(ConvergeException.Kind.CLOSED, "interrupted while waiting", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new CompletionException(cause);
    }
  }

  private void loop() {
    List<Task> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(batch, batchMax - 1);
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        runBatch(batch);
      }
    }
    markClosed();
  }

  private void runBatch(List<Task> batch) {
    @Nullable Object[] results = new Object[batch.size()];
    @Nullable RuntimeException[] refusals = new RuntimeException[batch.size()];
    Set<String> touched = Set.of();
    try {
      for (int i = 0; i < batch.size(); i++) {
        Task task = batch.get(i);
        Set<String> touchedBefore = state.touched();
        Savepoint savepoint = connection.setSavepoint();
        try {
          results[i] = java.util.Objects.requireNonNull(task.work()).run(state);
          connection.releaseSavepoint(savepoint);
        } catch (ConvergeException | IllegalArgumentException e) {
          connection.rollback(savepoint);
          connection.releaseSavepoint(savepoint);
          state.rolledBack(touchedBefore);
          refusals[i] = e;
        }
      }
      touched = state.touched();
      state.flush();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      RuntimeException failure =
          e instanceof SQLException sql
              ? SqlErrors.map("commit failed", sql)
              : (RuntimeException) e;
      rollbackAfter(failure, touched);
      for (Task task : batch) {
        task.future().completeExceptionally(failure);
      }
      return;
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

  private void rollbackAfter(RuntimeException failure, Set<String> touched) {
    try {
      connection.rollback();
      state.invalidate(touched.isEmpty() ? state.touched() : touched);
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
