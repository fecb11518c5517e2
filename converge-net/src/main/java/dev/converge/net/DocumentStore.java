package dev.converge.net;

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

  /** An empty document with ID {@code id}, or the existing one. */
  DocHandle create(DocumentId id);

  /** A store over {@code repo}. */
  static DocumentStore of(Repo repo) {
    return new DocumentStore() {
      @Override
      public Optional<DocHandle> find(DocumentId id) {
        return repo.find(id);
      }

      @Override
      public DocHandle create(DocumentId id) {
        return repo.findOrCreate(id);
      }
    };
  }
}
