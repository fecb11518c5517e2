package dev.converge.core.internal.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Work started on another core while the caller does its own part, for the few steps (loading a
 * document) where two independent halves of one job are large enough to be worth it. Its failure
 * reaches the caller unwrapped, as if it had run on the caller's thread.
 *
 * <p>Runs on the common fork-join pool, which on a machine with one core runs it on a fresh thread.
 */
public final class SideTask<T> {
  private final CompletableFuture<T> future;

  private SideTask(CompletableFuture<T> future) {
    this.future = future;
  }

  public static <T> SideTask<T> start(Supplier<T> work) {
    return new SideTask<>(CompletableFuture.supplyAsync(work));
  }

  public static SideTask<Void> start(Runnable work) {
    return new SideTask<>(CompletableFuture.runAsync(work));
  }

  /** Waits for the result; rethrows the task's own exception or error. */
  public T join() {
    return join(future);
  }

  /**
   * Waits for {@code future}'s result; rethrows the exception or error it completed with,
   * unwrapped, as {@link #join()} does.
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Waits for the task to end and ignores how: for when the caller failed first and reports its own
   * failure, but must not leave the task running on what it is about to discard.
   */
  public void awaitQuietly() {
    try {
      future.join();
    } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
      // The caller's own failure is the one reported.
    }
  }
}
