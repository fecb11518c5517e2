package dev.converge.repo;

import dev.converge.core.ActorId;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.repo.sqlite.SqliteStorage;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How a {@link Repo} is opened.
 *
 * @param ifMissing whether to create the directory and store if they are missing
 * @param cacheSize documents kept loaded in memory at most (least recently used leave first)
 * @param random the source of new document IDs
 * @param storage tuning of the SQLite store
 * @param actor the actor the first handle of each document commits as, in this repository object;
 *     empty (the default), or for any later handle of a document (after an eviction, or in place of
 *     a broken handle, while the old one may still be held), a fresh random actor. A persisted
 *     actor gives one process's changes consecutive seqs, which is safe only while no other process
 *     writes as that actor at the same time, and for a process that sends no change to a peer
 *     before it is durable (a crash would otherwise let the next run reuse its seq)
 */
public record RepoOptions(
    IfMissing ifMissing,
    int cacheSize,
    RandomGenerator random,
    SqliteStorage.Options storage,
    Optional<ActorId> actor) {
  public RepoOptions {
    Objects.requireNonNull(ifMissing, "ifMissing");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(actor, "actor");
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be >= 1, found " + cacheSize);
    }
  }

  /**
   * Create if missing, 1,000 documents, a fresh actor per handle in memory, IDs from a {@link
   * SecureRandom}.
   */
  public static RepoOptions defaults() {
    return new RepoOptions(
        IfMissing.CREATE,
        1000,
        new SecureRandom(),
        SqliteStorage.Options.DEFAULT,
        Optional.empty());
  }

  public RepoOptions withIfMissing(IfMissing ifMissing) {
    return new RepoOptions(ifMissing, cacheSize, random, storage, actor);
  }

  public RepoOptions withCacheSize(int cacheSize) {
    return new RepoOptions(ifMissing, cacheSize, random, storage, actor);
  }

  public RepoOptions withRandom(RandomGenerator random) {
    return new RepoOptions(ifMissing, cacheSize, random, storage, actor);
  }

  public RepoOptions withStorage(SqliteStorage.Options storage) {
    return new RepoOptions(ifMissing, cacheSize, random, storage, actor);
  }

  /** The first handle of each document commits as {@code value}; see {@link #actor()}. */
  public RepoOptions withActor(ActorId value) {
    return new RepoOptions(ifMissing, cacheSize, random, storage, Optional.of(value));
  }
}
