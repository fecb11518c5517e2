package dev.converge.repo;

import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.Storage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Repo}'s compactions: making a document's successor and the link to it ({@link
 * #compact}), following links ({@link #resolve}), and purging an old copy once that loses nothing
 * ({@link #settleForward}), whether the link was made here or learned from a peer ({@link
 * #recordForward}).
 *
 * <p>No acknowledged write is lost to a purge: before the step that checks the old document (copies
 * its value, or finds that the successor covers it), every handle of it that anyone may still hold
 * is retired, the cached one and those the cache dropped alike ({@link LiveHandles}), and so is
 * every handle made for it until the purge; every later write is refused ({@link
 * DocumentCompactedException}) instead of being stored and then purged. The check reads the store
 * as it is once those writes are flushed, so a write acknowledged through any handle is in the copy
 * or keeps the old document.
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
    DocumentId successorId = DocumentId.random(options.random());
    List<DocHandle> retired = repo.liveHandles().retireAll(id, successorId);
    try {
      DocHandle source = storedState(old);
      Document successor = repo.withActor(successorId, Document.create());
      CommitOptions commit = CommitOptions.defaults().withMessage("compacted from " + old.url());
      List<ChangeHash> heads =
          source.readHistory(
              history -> {
                successor.change(commit, tx -> ValueCopy.copy(history, tx));
                return List.copyOf(history.heads());
              });
      Forward forward = new Forward(id.toString(), successorId.toString(), heads);
      Futures.join(storage.compactDocument(forward, successor.changes()));
      DocHandle handle =
          repo.newHandle(successorId, successor, CompletableFuture.completedFuture(null));
      retired = List.of(); // stored: the old document's handles stay retired whatever follows
      repo.handOut(handle);
      repo.purge(id);
      return handle;
    } finally {
      repo.liveHandles().endRetiring(id, retired); // undone only if nothing was stored
    }
  }

  /**
   * What the store holds of {@code old}'s document, once every handle of it is retired: every write
   * made through any of them before is then in the store, but a handle that the cache dropped and
   * its caller kept may have written changes {@code old} never saw. {@code old} itself when it has
   * every head the store recorded (so it holds all the store does), else the document loaded anew.
   */
  private DocHandle storedState(DocHandle old) {
    Futures.join(storage.flush());
    List<ChangeHash> recorded = storage.recordedHeads(old.id().toString());
    boolean complete =
        old.readHistory(
            history -> {
              for (ChangeHash head : recorded) {
                if (history.changeIndex(head).isEmpty()) {
                  return false;
                }
              }
              return true;
            });
    return complete ? old : repo.loadToRead(old.id());
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
    if (old.isEmpty()) {
      repo.purge(id);
      return true;
    }
    List<ChangeHash> compacted = forward.get().compactedHeads();
    // Every handle is retired before the check: a write after it is refused, not purged with it.
    List<DocHandle> retired = repo.liveHandles().retireAll(id, successorId);
    try {
      if (!coveredBy(storedState(old.get()), compacted)) {
        return false;
      }
      retired = List.of();
      repo.purge(id);
      return true;
    } finally {
      repo.liveHandles().endRetiring(id, retired);
    }
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
