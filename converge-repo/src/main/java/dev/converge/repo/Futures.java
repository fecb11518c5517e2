package dev.converge.repo;

import dev.converge.repo.spi.StorageFutures;
import java.util.concurrent.CompletableFuture;

/**
 * Waiting for store futures, rethrowing their typed failure as is: {@link StorageFutures#join},
 * under the short name {@link Repo}'s many call sites use.
 */
final class Futures {
  private Futures() {}

  static <T> T join(CompletableFuture<T> future) {
    return StorageFutures.join(future);
  }
}
