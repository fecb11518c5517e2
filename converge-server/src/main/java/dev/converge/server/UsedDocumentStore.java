package dev.converge.server;

import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import java.util.Optional;

/**
 * The server's {@link DocumentStore}: the repository's, telling {@link Retention} of every document
 * a client requests or syncs (the sync server looks a document up once per connection, when the
 * client first names it).
 */
final class UsedDocumentStore implements DocumentStore {
  private final DocumentStore store;
  private final Retention retention;

  UsedDocumentStore(DocumentStore store, Retention retention) {
    this.store = store;
    this.retention = retention;
  }

  @Override
  public Optional<DocHandle> find(DocumentId id) {
    Optional<DocHandle> found = store.find(id);
    if (found.isPresent()) {
      retention.used(id);
    }
    return found;
  }

  @Override
  public DocHandle create(DocumentId id) {
    // A document prepared here is stored only with its first change, which counts as a use then.
    return store.create(id);
  }

  @Override
  public boolean purge(DocumentId id) {
    return store.purge(id);
  }

  @Override
  public boolean isPurged(DocumentId id) {
    return store.isPurged(id);
  }
}
