package dev.converge.repo.spi;

import dev.converge.core.ConvergeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for the futures a {@link Storage} returns, rethrowing their typed failure as is. */
public final class StorageFutures {
  private StorageFutures() {}

  /**
   * Waits for {@code future} and returns its value.
   *
   * @throws RuntimeException the future's own failure, unwrapped (a {@link StorageException} or
   *     another {@link ConvergeException} as the store threw it); a checked cause comes wrapped in
   *     a {@link CompletionException}
   * @throws StorageException of kind CLOSED if the thread is interrupted while waiting (its
   *     interrupt flag is set again)
   */
  public static <T> T join(CompletableFuture<T> future) {
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
}
