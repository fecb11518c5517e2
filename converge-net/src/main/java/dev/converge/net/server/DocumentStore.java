package dev.converge.net.server;

import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.PurgedDocumentException;
import java.util.List;
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

  /** The link a compaction left from {@code id}, if it was compacted ({@link Repo#forwardOf}). */
  default Optional<Forward> forwardOf(DocumentId id) {
    return Optional.empty();
  }

  /**
   * Records a link a client reported ({@link Repo#recordForward}); a store that cannot refuses.
   *
   * @return whether the link is new
   * @throws dev.converge.core.ConvergeException of kind UNSUPPORTED if the store cannot link
   */
  default boolean recordForward(Forward forward) {
    throw new dev.converge.core.ConvergeException(
        dev.converge.core.ConvergeException.Kind.UNSUPPORTED,
        "this store cannot record compactions");
  }

  /** Every link recorded. */
  default List<Forward> forwards() {
    return List.of();
  }

  /**
   * Remembers that {@code replica} (a peer's storage ID, or its peer ID) synced the document. A
   * store that cannot remember ignores it: it then never purges a compacted document by itself.
   */
  default void recordReplica(DocumentId id, String replica) {}

  /** The replicas {@link #recordReplica} remembered for the document. */
  default List<String> replicas(DocumentId id) {
    return List.of();
  }

  /**
   * Purges a compacted document if that loses nothing ({@link Repo#settleForward}); returns whether
   * it is gone.
   */
  default boolean settleForward(DocumentId id) {
    return false;
  }

  /**
   * A store over {@code repo} ({@link Repo#findOrPrepare} creates). A compacted document is refused
   * as a purged one is: not found, and not created again.
   */
  static DocumentStore of(Repo repo) {
    return new DocumentStore() {
      @Override
      public Optional<DocHandle> find(DocumentId id) {
        return repo.forwardOf(id).isPresent() ? Optional.empty() : repo.find(id);
      }

      @Override
      public DocHandle create(DocumentId id) {
        if (repo.forwardOf(id).isPresent()) {
          throw new PurgedDocumentException(id.toString()); // refused as a purged one is
        }
        return repo.findOrPrepare(id);
      }

      @Override
      public Optional<Forward> forwardOf(DocumentId id) {
        return repo.forwardOf(id);
      }

      @Override
      public boolean recordForward(Forward forward) {
        return repo.recordForward(forward);
      }

      @Override
      public List<Forward> forwards() {
        return repo.forwards();
      }

      @Override
      public void recordReplica(DocumentId id, String replica) {
        repo.recordReplica(id, replica);
      }

      @Override
      public List<String> replicas(DocumentId id) {
        return repo.replicas(id);
      }

      @Override
      public boolean settleForward(DocumentId id) {
        return repo.settleForward(id);
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
