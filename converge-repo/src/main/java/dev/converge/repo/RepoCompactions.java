package dev.converge.repo;

import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Repo}'s compactions: making a document's successor and the link to it ({@link
 * #compact}), following links ({@link #resolve}), and purging an old copy once that loses nothing
 * ({@link #settleForward}), whether the link was made here or learned from a peer ({@link
 * #recordForward}).
 *
 * <p>No acknowledged write is lost to a purge: the step that checks the old document (copies its
 * value, or finds that the successor covers it) runs under the lock of its handle and retires the
 * handle in the same step, so every later write to it is refused ({@link
 * DocumentCompactedException}) instead of being stored and then purged.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class RepoCompactions {
  /** How many links {@link #resolve} follows at most. */
  static final int FORWARDS_MAX = 64;

  private final Repo repo;
  private final Storage storage;
  private final RepoOptions options;

  RepoCompactions(Repo repo, Storage storage, RepoOptions options) {
    this.repo = repo;
    this.storage = storage;
    this.options = options;
  }

  /** See {@link Repo#compact}. */
  DocHandle compact(DocumentId id) {
    Optional<Forward> earlier = storage.forwardOf(id.toString());
    if (earlier.isPresent()) {
      return finishCompaction(earlier.get());
    }
    repo.requireNotPurged(id);
    DocHandle old =
        repo.find(id)
            .orElseThrow(
                () ->
                    new ConvergeException(
                        ConvergeException.Kind.INVALID_ARGUMENT, "no document " + id));
    Futures.join(old.whenDurable()); // the store's recorded heads then match the handle's
    DocumentId successorId = DocumentId.random(options.random());
    Document successor = repo.withActor(successorId, Document.create());
    CommitOptions commit = CommitOptions.defaults().withMessage("compacted from " + old.url());
    List<ChangeHash> heads = new ArrayList<>();
    // Copied and retired in one step under the handle's lock: a later write to the old handle is
    // refused rather than appended to a document about to be purged. A write queued before it is
    // in the store's heads before the compaction's check (the store runs writes in order).
    old.retireIf(
        successorId,
        () -> {
          old.readHistory(
              history -> {
                successor.change(commit, tx -> ValueCopy.copy(history, tx));
                return heads.addAll(history.heads());
              });
          return true;
        });
    Forward forward = new Forward(id.toString(), successorId.toString(), heads);
    try {
      Futures.join(storage.compactDocument(forward, successor.changes()));
    } catch (RuntimeException e) {
      old.unretire(); // nothing was stored: the document is as it was
      throw e;
    }
    DocHandle handle =
        new DocHandle(successorId, successor, storage, CompletableFuture.completedFuture(null));
    repo.handOut(handle);
    repo.purge(id);
    return handle;
  }

  /** A compaction whose link is stored: purges the old document if it is still here. */
  private DocHandle finishCompaction(Forward forward) {
    DocumentId successorId = DocumentId.parse(forward.successorId());
    DocHandle successor =
        repo.find(successorId)
            .orElseThrow(
                () ->
                    new ConvergeException(
                        ConvergeException.Kind.INVALID_ARGUMENT,
                        forward.documentId()
                            + " was compacted into "
                            + forward.successorId()
                            + ", which is not in this repository yet (sync it)"));
    DocumentId old = DocumentId.parse(forward.documentId());
    if (repo.isPurged(old)) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          forward.documentId()
              + " was compacted into "
              + AutomergeUrl.of(successorId)
              + " already, and purged");
    }
    settleForward(old);
    return successor;
  }

  /** See {@link Repo#resolve}. */
  DocumentId resolve(DocumentId id) {
    DocumentId current = id;
    for (int step = 0; step < FORWARDS_MAX; step++) {
      Optional<Forward> forward = storage.forwardOf(current.toString());
      if (forward.isEmpty()) {
        return current;
      }
      current = DocumentId.parse(forward.get().successorId());
    }
    throw new ConvergeException(
        ConvergeException.Kind.CORRUPT_DATA,
        "the compaction links from " + id + " loop or run longer than " + FORWARDS_MAX);
  }

  /** See {@link Repo#recordForward}. */
  boolean recordForward(Forward forward) {
    return Futures.join(storage.recordForward(forward));
  }

  /** See {@link Repo#settleForward}. */
  boolean settleForward(DocumentId id) {
    Optional<Forward> forward = storage.forwardOf(id.toString());
    if (forward.isEmpty()) {
      return false;
    }
    if (repo.isPurged(id)) {
      return true;
    }
    DocumentId successorId = DocumentId.parse(forward.get().successorId());
    if (!storage.containsDocument(successorId.toString())) {
      return false;
    }
    Optional<DocHandle> old = repo.find(id);
    List<ChangeHash> compacted = forward.get().compactedHeads();
    // Checked and retired in one step: a write after the check is refused, not purged with it.
    if (old.isPresent()
        && !old.get().retireIf(successorId, () -> coveredBy(old.get(), compacted))) {
      return false;
    }
    repo.purge(id);
    return true;
  }

  /** Whether every change of {@code copy} is one of {@code heads} or an ancestor of them. */
  static boolean coveredBy(DocHandle copy, List<ChangeHash> heads) {
    return copy.readHistory(
        history -> {
          if (heads.containsAll(history.heads())) {
            return true;
          }
          for (ChangeHash head : heads) {
            if (history.changeIndex(head).isEmpty()) {
              return false; // it cannot tell ancestry through changes it does not have
            }
          }
          return copy.changesSince(heads).isEmpty();
        });
  }
}
