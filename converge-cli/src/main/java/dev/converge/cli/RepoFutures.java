package dev.converge.cli;

import dev.converge.core.ConvergeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waits for a repository future and rethrows its typed failure, for the exit-code handler. */
final class RepoFutures {
  private RepoFutures() {}

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ConvergeException converge) {
        throw converge;
      }
      throw e;
    }
  }
}
