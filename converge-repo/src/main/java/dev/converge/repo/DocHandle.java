package dev.converge.repo;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.DocumentHistory;
import dev.converge.core.PatchListener;
import dev.converge.core.ReadableDocument;
import dev.converge.core.Transaction;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncLimits;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.repo.spi.Storage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
  private final List<ChangeListener> changeListeners = new CopyOnWriteArrayList<>();
  private CompletableFuture<Void> durable;
  private volatile boolean broken;
  private volatile @Nullable ChangeGate gate;

  /** The successor once this document was compacted (here or settled): writes are refused. */
  private volatile @Nullable DocumentId compactedInto;

  /** For a handle not yet stored ({@link Repo#findOrPrepare}): run before its first append. */
  private @Nullable Runnable beforeFirstAppend;

  /**
   * Told after the document gained changes, local or from elsewhere, with the lock of the handle
   * held: it must not block, and should hand longer work (such as sending sync messages) to another
   * thread.
   */
  @FunctionalInterface
  public interface ChangeListener {
    void changed(DocHandle handle, List<Change> added);
  }

  /**
   * Lets the changes of a peer's sync message in, or not, before they are applied: a server that
   * must hand them to an outside log first (a cluster node) sees them before anyone else can.
   */
  @FunctionalInterface
  public interface ChangeGate {
    /**
     * What {@link #admit} and {@link #receiveSyncMessage} return for a message the gate applies
     * later: the sync state has not seen it yet, so an answer built now would be stale.
     */
    int DEFERRED = -2;

    /**
     * Called with the handle's lock held, with the message's change entries (none for a message
     * without changes: a gate that holds messages back keeps their order), before anything is
     * applied. Returns what {@code apply} returns, having run it once if it lets the changes in, or
     * {@link #DEFERRED} if it runs {@code apply} later (once, under this handle's lock); throws to
     * refuse them, and then nothing changed.
     */
    int admit(DocHandle handle, List<byte[]> changeEntries, java.util.function.IntSupplier apply);
  }

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
   * @throws DocumentCompactedException if the document was compacted; nothing changed
   */
  public synchronized Optional<Change> change(CommitOptions options, Consumer<Transaction> edits) {
    requireUsable();
    Optional<Change> change = document.change(options, edits);
    change.ifPresent(made -> appendAndTell(List.of(made)));
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
      appendAndTell(document.changesSince(before));
    }
    return applied;
  }

  /**
   * The next sync message for the peer whose state is {@code state}, or empty when there is nothing
   * to say; see {@link Sync#generate}.
   */
  public synchronized Optional<SyncMessage> generateSyncMessage(SyncState state) {
    return Sync.generate(document, state);
  }

  /**
   * Applies a sync message from a peer; the changes it makes applicable are appended to the log
   * like any other.
   *
   * @return how many changes the document gained, or {@link ChangeGate#DEFERRED} if the gate
   *     applies the message later
   * @throws dev.converge.core.CorruptDataException if the message's changes are malformed or
   *     contradict the document; the document, the state and the log are unchanged
   * @throws dev.converge.core.LimitExceededException if the message breaks {@code limits}; nothing
   *     changed
   */
  public synchronized int receiveSyncMessage(
      SyncState state, SyncMessage message, SyncLimits limits) {
    requireUsable();
    ChangeGate admitting = gate;
    if (admitting != null) {
      return admitting.admit(
          this,
          message.changes(),
          () -> {
            requireUsable(); // a gate may apply later, when the handle may be retired
            return receiveNow(state, message, limits);
          });
    }
    return receiveNow(state, message, limits);
  }

  private synchronized int receiveNow(SyncState state, SyncMessage message, SyncLimits limits) {
    List<ChangeHash> before = document.heads();
    Sync.receive(document, state, message, limits);
    if (document.heads().equals(before)) {
      return 0;
    }
    List<Change> added = document.changesSince(before);
    appendAndTell(added);
    return added.size();
  }

  /**
   * Applies Automerge chunks from elsewhere (change chunks, or a document chunk, as {@link
   * Document#loadIncremental} reads them; a sealed envelope's content) and appends the changes they
   * make applicable to the log. Changes whose dependencies are missing wait in memory, as a sync
   * message's do ({@link #hasWaitingChanges}).
   *
   * @return the changes the document gained, in causal order
   * @throws dev.converge.core.CorruptDataException if the chunks are malformed or contradict the
   *     document; nothing changed then
   * @throws dev.converge.core.LimitExceededException if they break {@code options}' limits
   */
  public synchronized List<Change> applyChunks(
      byte[] chunks, dev.converge.core.LoadOptions options) {
    requireUsable();
    List<ChangeHash> before = document.heads();
    document.loadIncremental(chunks, options);
    if (document.heads().equals(before)) {
      return List.of();
    }
    List<Change> added = document.changesSince(before);
    appendAndTell(added);
    return added;
  }

  /**
   * Applies chunks consumed from an outside log, as {@link #applyChunks} does, and stores {@code
   * consumerOffset} for {@code consumer} in the same write as the changes they add ({@link
   * Storage#appendConsumed}); with no new change, the offset alone. Listeners hear of the new
   * changes as of any other.
   *
   * @return the changes the document gained, in causal order
   * @throws dev.converge.core.CorruptDataException if the chunks are malformed or contradict the
   *     document; nothing changed then, and no offset was stored
   * @throws dev.converge.core.LimitExceededException if they break {@code options}' limits
   */
  public synchronized List<Change> applyConsumed(
      byte[] chunks, dev.converge.core.LoadOptions options, String consumer, long consumerOffset) {
    requireUsable();
    List<ChangeHash> before = document.heads();
    document.loadIncremental(chunks, options);
    List<Change> added =
        document.heads().equals(before) ? List.of() : document.changesSince(before);
    if (added.isEmpty()) {
      // A redelivery, or changes waiting for their dependencies: only the offset moves, and a
      // handle not yet stored stays so.
      CompletableFuture<Void> stored = storage.commitConsumerOffset(consumer, consumerOffset);
      durable = durable.thenCombine(stored, (ignored, done) -> null);
      return added;
    }
    append(store -> store.appendConsumed(id.toString(), added, consumer, consumerOffset));
    for (ChangeListener listener : changeListeners) {
      listener.changed(this, added);
    }
    return added;
  }

  /** Whether changes from elsewhere wait in memory for dependencies this document lacks. */
  public boolean hasWaitingChanges() {
    return !document.missingDeps().isEmpty();
  }

  /** The changes {@code heads} have not seen, in causal order. */
  public List<Change> changesSince(List<ChangeHash> heads) {
    return document.changesSince(heads);
  }

  /**
   * Calls {@code listener} after every later change of this document; see {@link ChangeListener}.
   */
  public void addChangeListener(ChangeListener listener) {
    changeListeners.add(listener);
  }

  public void removeChangeListener(ChangeListener listener) {
    changeListeners.remove(listener);
  }

  /** Sets the gate the changes of peers' sync messages pass ({@link ChangeGate}); null for none. */
  public void setChangeGate(@Nullable ChangeGate changeGate) {
    gate = changeGate;
  }

  private void appendAndTell(List<Change> added) {
    append(added);
    for (ChangeListener listener : changeListeners) {
      listener.changed(this, added);
    }
  }

  /** Runs {@code action} before the first append, once; see {@link Repo#findOrPrepare}. */
  synchronized void beforeFirstAppend(Runnable action) {
    beforeFirstAppend = action;
  }

  /**
   * A prepared handle stored by {@link Repo#findOrCreate}: its durability now waits for {@code
   * created}, and no first append adopts it again.
   */
  synchronized void storedBy(CompletableFuture<Void> created) {
    beforeFirstAppend = null;
    durable = durable.thenCombine(created, (ignored, done) -> null);
  }

  private void append(List<Change> changes) {
    append(store -> store.append(id.toString(), changes));
  }

  private void append(Function<Storage, CompletableFuture<Long>> write) {
    Runnable first = beforeFirstAppend;
    if (first != null) {
      beforeFirstAppend = null;
      first.run();
    }
    CompletableFuture<Long> appended =
        write
            .apply(storage)
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

  /**
   * Reads the document with its history (past versions, diffs, change summaries) under the
   * document's lock, so that no change lands while {@code reader} runs: a past version read through
   * {@link DocumentHistory#at} stays consistent. Changes wait meanwhile, so keep {@code reader}
   * short; it must not keep the reference.
   */
  public <T> T readHistory(Function<DocumentHistory, T> reader) {
    synchronized (document) {
      return reader.apply(document);
    }
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

  /**
   * Refuses every later write with {@link DocumentCompactedException} naming {@code successorId}.
   *
   * @return whether this call retired the handle (false: an earlier compaction had)
   */
  synchronized boolean retireNow(DocumentId successorId) {
    if (compactedInto != null) {
      return false;
    }
    compactedInto = successorId;
    return true;
  }

  /** Takes writes again after a compaction that {@link #retireNow retired} it failed to store. */
  synchronized void unretire() {
    compactedInto = null;
  }

  private void requireUsable() {
    DocumentId successor = compactedInto;
    if (successor != null) {
      throw new DocumentCompactedException(id, successor);
    }
    if (broken) {
      throw new ConvergeException(
          ConvergeException.Kind.CLOSED,
          "document " + id + " could not be stored; find it again to continue from the log");
    }
  }
}
