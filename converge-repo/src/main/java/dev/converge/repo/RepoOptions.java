package dev.converge.repo;

import dev.converge.repo.sqlite.SqliteStorage;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a {@link Repo} is opened.
 *
 * @param create create the directory and store if they are missing
 * @param cacheSize documents kept loaded in memory at most (least recently used leave first)
 * @param random the source of new document IDs
 * @param storage tuning of the SQLite store
 */
public record RepoOptions(
    boolean create, int cacheSize, RandomGenerator random, SqliteStorage.Options storage) {
  public RepoOptions {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(storage, "storage");
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be >= 1, found " + cacheSize);
    }
  }

  /** Create if missing, 1,000 documents in memory, IDs from a {@link SecureRandom}. */
  public static RepoOptions defaults() {
    return new RepoOptions(true, 1000, new SecureRandom(), SqliteStorage.Options.DEFAULT);
  }

  public RepoOptions withCreate(boolean create) {
    return new RepoOptions(create, cacheSize, random, storage);
  }

  public RepoOptions withCacheSize(int cacheSize) {
    return new RepoOptions(create, cacheSize, random, storage);
  }

  public RepoOptions withRandom(RandomGenerator random) {
    return new RepoOptions(create, cacheSize, random, storage);
  }

  public RepoOptions withStorage(SqliteStorage.Options storage) {
    return new RepoOptions(create, cacheSize, random, storage);
  }
}
