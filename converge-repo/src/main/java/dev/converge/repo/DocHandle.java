package dev.converge.repo;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.PatchListener;
import dev.converge.core.ReadableDocument;
import dev.converge.core.Transaction;
import dev.converge.repo.spi.Storage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One document of a {@link Repo}, loaded in memory. {@link #change} commits a local change through
 * the engine and appends it to the log; {@link #whenDurable} completes once every change made so
 * far through this handle is durable. The in-memory document may run ahead of the log by the
 * changes not yet acknowledged.
 *
 * <p>If an append fails (disk full, store closed), the in-memory document holds a change the log
 * does not: the handle is then broken, every later {@link #change} throws, and {@link Repo#find}
 * loads a fresh handle from the log (with a fresh actor, so no (actor, seq) pair is ever reused).
 *
 * <p>Thread-safety: safe for use by many threads; changes are appended in the order they were
 * committed.
 */
public final class DocHandle {
  private final DocumentId id;
  private final Document document;
  private final Storage storage;
  private CompletableFuture<Void> durable;
  private volatile boolean broken;

  DocHandle(DocumentId id, Document document, Storage storage, CompletableFuture<Void> durable) {
    this.id = id;
    this.document = document;
    this.storage = storage;
    this.durable = durable;
  }

  public DocumentId id() {
    return id;
  }

  public AutomergeUrl url() {
    return AutomergeUrl.of(id);
  }

  /** Runs {@code edits} as one local change; see {@link #change(CommitOptions, Consumer)}. */
  public Optional<Change> change(Consumer<Transaction> edits) {
    return change(CommitOptions.defaults(), edits);
  }

  /**
   * Runs {@code edits} as one local change and appends it to the log. Returns at once: use {@link
   * #whenDurable} to wait for the acknowledgement.
   *
   * @return the change, empty if {@code edits} made none
   * @throws ConvergeException of kind CLOSED if an earlier append of this handle failed
   */
  public synchronized Optional<Change> change(CommitOptions options, Consumer<Transaction> edits) {
    requireUsable();
    Optional<Change> change = document.change(options, edits);
    change.ifPresent(made -> append(List.of(made)));
    return change;
  }

  /**
   * Applies changes from elsewhere (an imported file, a peer) and appends the new ones to the log.
   *
   * @return how many changes were applied
   * @throws dev.converge.core.MissingDependenciesException if a change depends on one that is
   *     neither in the document nor in {@code changes}; nothing changed
   * @throws dev.converge.core.CorruptDataException if the engine refuses them; nothing changed
   */
  public synchronized int applyChanges(List<Change> changes) {
    requireUsable();
    java.util.Set<ChangeHash> given = new java.util.HashSet<>();
    for (Change change : changes) {
      given.add(change.hash());
    }
    java.util.TreeSet<ChangeHash> missing = new java.util.TreeSet<>();
    for (Change change : changes) {
      for (ChangeHash dep : change.deps()) {
        if (!given.contains(dep) && document.getChange(dep).isEmpty()) {
          missing.add(dep);
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new dev.converge.core.MissingDependenciesException(List.copyOf(missing));
    }
    List<ChangeHash> before = document.heads();
    int applied = document.applyChanges(changes);
    if (applied > 0) {
      append(document.changesSince(before));
    }
    return applied;
  }

  private void append(List<Change> changes) {
    CompletableFuture<Long> appended =
        storage
            .append(id.toString(), changes)
            .whenComplete(
                (offset, failure) -> {
                  if (failure != null) {
                    broken = true;
                  }
                });
    durable = durable.thenCombine(appended, (ignored, offset) -> null);
  }

  /**
   * Completes when every change made through this handle so far is durable; fails with the first
   * append failure.
   */
  public synchronized CompletableFuture<Void> whenDurable() {
    return durable;
  }

  /** Reads the document under its lock; {@code reader} must not keep the reference. */
  public <T> T read(Function<ReadableDocument, T> reader) {
    return reader.apply(document);
  }

  /** The current value as one line of JSON. */
  public String toJson() {
    return document.toJson();
  }

  public List<ChangeHash> heads() {
    return document.heads();
  }

  /** Every change, in causal order. */
  public List<Change> changes() {
    return document.changes();
  }

  /** The whole document as Automerge saves it. */
  public byte[] save() {
    return document.save();
  }

  public void addListener(PatchListener listener) {
    document.addListener(listener);
  }

  public void removeListener(PatchListener listener) {
    document.removeListener(listener);
  }

  boolean isBroken() {
    return broken;
  }

  private void requireUsable() {
    if (broken) {
      throw new ConvergeException(
          ConvergeException.Kind.CLOSED,
          "document " + id + " could not be stored; find it again to continue from the log");
    }
  }
}
