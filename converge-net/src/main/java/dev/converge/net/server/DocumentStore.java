package dev.converge.net.server;

import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.util.Optional;

/**
 * Where a sync server finds documents, and creates those a peer sends under an ID it chose.
 *
 * <p>Thread-safety: implementations are safe for use by many threads.
 */
public interface DocumentStore {
  Optional<DocHandle> find(DocumentId id);

  /**
   * The document {@code id}, or an empty one with that ID that is stored only once it gains a
   * change: a peer that names an unknown document and never sends a change leaves nothing behind.
   */
  DocHandle create(DocumentId id);

  /**
   * Purges the document ({@link Repo#purge}): gone, overwritten, and its ID refused from then on. A
   * store that cannot purge refuses, and keeps this default.
   *
   * @return whether the store held the document
   * @throws dev.converge.core.ConvergeException of kind UNSUPPORTED if the store cannot purge
   */
  default boolean purge(DocumentId id) {
    throw new dev.converge.core.ConvergeException(
        dev.converge.core.ConvergeException.Kind.UNSUPPORTED, "this store cannot purge " + id);
  }

  /** Whether the document was purged from this store. */
  default boolean isPurged(DocumentId id) {
    return false;
  }

  /** A store over {@code repo} ({@link Repo#findOrPrepare} creates). */
  static DocumentStore of(Repo repo) {
    return new DocumentStore() {
      @Override
      public Optional<DocHandle> find(DocumentId id) {
        return repo.find(id);
      }

      @Override
      public DocHandle create(DocumentId id) {
        return repo.findOrPrepare(id);
      }

      @Override
      public boolean purge(DocumentId id) {
        return repo.purge(id);
      }

      @Override
      public boolean isPurged(DocumentId id) {
        return repo.isPurged(id);
      }
    };
  }
}
