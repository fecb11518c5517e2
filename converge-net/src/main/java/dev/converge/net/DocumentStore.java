package dev.converge.net;

import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.Storage;
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

  /**
   * A store over {@code repo}, which must be the repository opened over {@code storage}: {@link
   * Repo#create} picks a random ID, so a document named by a peer is created in the storage and
   * then found through the repository.
   */
  static DocumentStore of(Repo repo, Storage storage) {
    return new DocumentStore() {
      // Both methods hold one lock: Repo.find is not atomic, and two concurrent finds of one
      // document could load two handles whose documents then drift apart.
      @Override
      public synchronized Optional<DocHandle> find(DocumentId id) {
        return repo.find(id);
      }

      @Override
      public synchronized DocHandle create(DocumentId id) {
        Optional<DocHandle> existing = repo.find(id);
        if (existing.isPresent()) {
          return existing.get();
        }
        storage.createDocument(id.toString()).join();
        return repo.find(id)
            .orElseThrow(
                () -> new IllegalStateException("document " + id + " missing after its creation"));
      }
    };
  }
}
