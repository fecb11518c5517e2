package dev.converge.server;

import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.Forward;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The server's {@link DocumentStore}: the backend's, telling {@link Retention} of every document a
 * client requests or syncs (the sync server looks a document up once per connection, when the
 * client first names it). A document a client names that is not stored yet is prepared, and stored
 * only with its first change, which counts as a use then.
 *
 * <p>Every method but {@link #find} forwards unchanged. The forwarding is written out rather than
 * made by a reflective proxy, so the compiler checks each call and no lookup pays for reflection. A
 * method added to {@link DocumentStore} needs a forward here too (UsedDocumentStoreTest checks that
 * every interface method is overridden).
 */
final class UsedDocumentStore implements DocumentStore {
  private final DocumentStore store;
  private final Consumer<DocumentId> used;

  private UsedDocumentStore(DocumentStore store, Consumer<DocumentId> used) {
    this.store = store;
    this.used = used;
  }

  /** {@code store}, telling {@code used} of every document its {@code find} finds. */
  static DocumentStore of(DocumentStore store, Consumer<DocumentId> used) {
    return new UsedDocumentStore(store, used);
  }

  @Override
  public Optional<DocHandle> find(DocumentId id) {
    Optional<DocHandle> found = store.find(id);
    found.ifPresent(handle -> used.accept(id));
    return found;
  }

  @Override
  public DocHandle create(DocumentId id) {
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
