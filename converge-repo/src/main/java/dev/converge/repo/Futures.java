package dev.converge.repo;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.StorageException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for store futures, rethrowing their typed failure as is. */
final class Futures {
  private Futures() {}

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
}
