package dev.converge.server;

import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.Forward;
import java.util.List;
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

  @Override
  public Optional<Forward> forwardOf(DocumentId id) {
    return store.forwardOf(id);
  }

  @Override
  public boolean recordForward(Forward forward) {
    return store.recordForward(forward);
  }

  @Override
  public List<Forward> forwards() {
    return store.forwards();
  }

  @Override
  public void recordReplica(DocumentId id, String replica) {
    store.recordReplica(id, replica);
  }

  @Override
  public List<String> replicas(DocumentId id) {
    return store.replicas(id);
  }

  @Override
  public boolean settleForward(DocumentId id) {
    return store.settleForward(id);
  }
}
