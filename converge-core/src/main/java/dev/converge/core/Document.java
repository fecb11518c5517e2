package dev.converge.core;

import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.dag.StoredBodies;
import dev.converge.core.internal.document.DecodedDocument;
import dev.converge.core.internal.opset.Clock;
import dev.converge.core.internal.opset.LocalTransaction;
import dev.converge.core.internal.opset.OpLookup;
import dev.converge.core.internal.opset.OpSetDiff;
import dev.converge.core.internal.opset.OpSetView;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A JSON-like CRDT document with Automerge's data model: a root map holding maps, lists, text,
 * counters and scalars, which any replica may edit offline and merge with any other.
 *
 * <p>The document is its change log: every local edit is committed as one immutable {@link Change},
 * named by its hash and pointing at the heads it was made on. State is the projection of the
 * applied changes; receiving the same changes in any order, any number of times, gives the same
 * state and heads. Changes whose dependencies have not arrived wait in a queue.
 *
 * <p>Thread-safety: every public method is synchronized on the document, so one document may be
 * shared between threads; listeners run while the lock is held, on the thread that applied the
 * change. The reads of the current state are shared with its views in other text units ({@link
 * #inUnit}).
 */
public final class Document extends LockedReads implements DocumentHistory {
  private ActorId actor;
  private final HybridClock clock;
  private final TextUnit textUnit;
  private final DocumentState state;
  private List<ChangeHash> savedHeads = List.of();

  private Document(ActorId actor, HybridClock clock, DocumentOptions options) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.textUnit = options.textUnit();
    this.state = new DocumentState(clock, textUnit);
  }

  /**
   * An empty document with a fresh random actor, stamping changes with a {@link HybridClock} over
   * the system clock.
   */
  public static Document create() {
    return create(ActorId.random());
  }

  /**
   * An empty document with a fresh random actor, stamping changes with a {@link HybridClock} over
   * the system clock, that behaves as {@code options} say (how it counts text, for one).
   */
  public static Document create(DocumentOptions options) {
    return create(ActorId.random(), HybridClock.system(), options);
  }

  /** An empty document that commits as {@code actor}. */
  public static Document create(ActorId actor) {
    return create(actor, HybridClock.system());
  }

  /**
   * An empty document that commits as {@code actor}, with change times from a {@link HybridClock}
   * over the wall clock {@code wallMillis} (milliseconds since the epoch), which tests and
   * simulations control.
   */
  public static Document create(ActorId actor, LongSupplier wallMillis) {
    return create(actor, HybridClock.of(wallMillis));
  }

  /**
   * An empty document as {@link #create(ActorId, LongSupplier)} makes, that behaves as {@code
   * options} say.
   */
  public static Document create(ActorId actor, LongSupplier wallMillis, DocumentOptions options) {
    return create(actor, HybridClock.of(wallMillis), options);
  }

  /**
   * An empty document that commits as {@code actor}, with change times from {@code clock}, which
   * may be shared by every document of a device.
   */
  public static Document create(ActorId actor, HybridClock clock) {
    return create(actor, clock, DocumentOptions.DEFAULT);
  }

  /**
   * An empty document that commits as {@code actor}, with change times from {@code clock}, that
   * behaves as {@code options} say.
   */
  public static Document create(ActorId actor, HybridClock clock, DocumentOptions options) {
    return new Document(actor, clock, Objects.requireNonNull(options, "options"));
  }

  /**
   * Loads a document saved by Converge or by Automerge: a document chunk, change chunks, or a
   * document chunk followed by change chunks (as automerge-repo storage concatenates them), with
   * default {@link LoadOptions}.
   *
   * @throws CorruptDataException if the bytes are not a valid Automerge file
   * @throws LimitExceededException if the file is larger than the default limits allow
   * @throws MissingDependenciesException if the file holds only changes and some depend on changes
   *     it lacks
   */
  public static Document load(byte[] bytes) {
    return load(bytes, LoadOptions.DEFAULT);
  }

  /**
   * Loads a document as {@link #load(byte[])} does, with explicit options; the loaded document
   * commits as a fresh random actor.
   *
   * @throws CorruptDataException if the bytes are not a valid Automerge file
   * @throws LimitExceededException if the file is larger than {@code options} allow
   * @throws MissingDependenciesException if the file holds only changes and some depend on changes
   *     it lacks
   */
  public static Document load(byte[] bytes, LoadOptions options) {
    return load(bytes, options, ActorId.random(), HybridClock.system());
  }

  /**
   * Loads a document as {@link #load(byte[], LoadOptions)} does, committing later changes as {@code
   * actor} with times from a {@link HybridClock} over {@code wallMillis}: for simulations and tests
   * that must not draw randomness or read the wall clock.
   *
   * @throws CorruptDataException if the bytes are not a valid Automerge file
   * @throws LimitExceededException if the file is larger than {@code options} allow
   * @throws MissingDependenciesException if the file holds only changes and some depend on changes
   *     it lacks
   */
  public static Document load(
      byte[] bytes, LoadOptions options, ActorId actor, LongSupplier wallMillis) {
    return load(bytes, options, actor, HybridClock.of(wallMillis));
  }

  /**
   * Loads a document as {@link #load(byte[], LoadOptions)} does, committing later changes as {@code
   * actor} with times from {@code clock}, which observes the time of every loaded change.
   *
   * @throws CorruptDataException if the bytes are not a valid Automerge file
   * @throws LimitExceededException if the file is larger than {@code options} allow
   * @throws MissingDependenciesException if the file holds only changes and some depend on changes
   *     it lacks
   */
  public static Document load(byte[] bytes, LoadOptions options, ActorId actor, HybridClock clock) {
    Document doc = create(actor, clock, options.documentOptions());
    DocumentLoading.loadInto(doc.state, bytes, options);
    doc.savedHeads = doc.state.graph().heads();
    return doc;
  }

  /**
   * The whole document as one compressed document chunk, followed by any changes still waiting for
   * their dependencies, as Automerge saves.
   */
  public synchronized byte[] save() {
    return save(true);
  }

  /** As {@link #save()}, with no column compressed. */
  public synchronized byte[] saveNoCompress() {
    return save(false);
  }

  private byte[] save(boolean compress) {
    byte[] bytes = DocumentBytes.whole(state, compress);
    savedHeads = state.graph().heads();
    return bytes;
  }

  /** The changes made since the last save or incremental save, as concatenated change chunks. */
  public synchronized byte[] saveIncremental() {
    byte[] bytes = saveSince(savedHeads);
    savedHeads = state.graph().heads();
    return bytes;
  }

  /** The changes {@code heads} have not seen, as concatenated change chunks. */
  public synchronized byte[] saveSince(List<ChangeHash> heads) {
    return DocumentBytes.changesSince(state, heads);
  }

  /** The clock that stamps this document's local changes (shared with its forks). */
  public HybridClock clock() {
    return clock;
  }

  /** The actor local changes are made as. */
  public synchronized ActorId actor() {
    return actor;
  }

  /**
   * Makes later local changes as {@code actor}. A process should use an actor no other process uses
   * at the same time, or two changes could share an (actor, seq) pair.
   */
  public synchronized void setActor(ActorId actor) {
    this.actor = Objects.requireNonNull(actor, "actor");
  }

  /** Subscribes {@code listener} to the patches of every later change. */
  public void addListener(PatchListener listener) {
    state.listeners().add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(PatchListener listener) {
    state.listeners().remove(listener);
  }

  /** Runs {@code edits} as one local change; see {@link #change(CommitOptions, Consumer)}. */
  public Optional<Change> change(Consumer<Transaction> edits) {
    return change(CommitOptions.defaults(), edits);
  }

  /**
   * Runs {@code edits} as one local change. The change is committed when the callback returns and
   * holds every op it made; none is made when it made no ops. If the callback throws, every edit is
   * undone, the document is exactly as before, and the exception propagates.
   *
   * @return the committed change, empty if there were no edits
   */
  public synchronized Optional<Change> change(CommitOptions options, Consumer<Transaction> edits) {
    return changeOps(options, (tx, lookup) -> edits.accept(tx));
  }

  /**
   * Runs {@code edits} as one local change, as {@link #change(CommitOptions, Consumer)} does,
   * giving them the op-level reads and writes that undo needs.
   */
  synchronized Optional<Change> changeOps(
      CommitOptions options, BiConsumer<LocalTransaction, OpLookup> edits) {
    return state.commit(actor, options, edits);
  }

  /**
   * Applies changes from another replica, in any order: duplicates are ignored, and a change whose
   * dependencies are missing waits until they arrive (see {@link #missingDeps()}). The batch is
   * applied whole or not at all.
   *
   * @return how many changes were applied now (queued ones that became ready included)
   * @throws CorruptDataException if a change contradicts the document (an actor's seq reused or
   *     skipped, an op naming an unknown object or element, an other actor that is no author of a
   *     change applied before or with it); nothing is applied then
   */
  public synchronized int applyChanges(Collection<Change> changes) {
    return state.apply(changes, true);
  }

  /** Hashes that queued changes depend on and that this document has not seen, sorted. */
  public synchronized List<ChangeHash> missingDeps() {
    return state.queue().missing();
  }

  /** Changes received but waiting for their dependencies, in arrival order. */
  public synchronized List<Change> queuedChanges() {
    return state.queue().changes();
  }

  /** The hashes of the changes no other change depends on, sorted. */
  @Override
  public synchronized List<ChangeHash> heads() {
    return state.graph().heads();
  }

  /** Every applied change, in the order it was applied (a causal order). */
  public synchronized List<Change> changes() {
    return state.graph().all();
  }

  /** The applied changes that {@code heads} have not seen, in causal order. */
  public synchronized List<Change> changesSince(List<ChangeHash> heads) {
    return state.graph().changesSince(heads);
  }

  /** The applied change with {@code hash}. */
  public synchronized Optional<Change> getChange(ChangeHash hash) {
    ChangeGraph graph = state.graph();
    int index = graph.indexOf(hash);
    return index < 0 ? Optional.empty() : Optional.of(graph.get(index));
  }

  /**
   * Applies the changes in {@code bytes} (a document chunk, change chunks, or both concatenated, as
   * a sync message or automerge-repo storage holds them) to this document, as {@link #applyChanges}
   * does: changes whose dependencies are missing wait in the queue. Every chunk is decoded and
   * verified before anything is applied.
   *
   * @return how many changes were applied now
   * @throws CorruptDataException if the bytes are not valid chunks or contradict the document;
   *     nothing is applied then
   * @throws LimitExceededException if the bytes are larger than {@code options} allow
   */
  public int loadIncremental(byte[] bytes, LoadOptions options) {
    return DocumentLoading.loadIncremental(this, bytes, options);
  }

  /**
   * Loads a whole document chunk the fast way (as {@link #load} does) when this document has
   * nothing yet and nobody listens for patches: a peer catching up from nothing gets a whole
   * document. All or nothing: if it fails halfway, the document is reset to empty.
   */
  synchronized boolean loadStoredIfEmpty(DecodedDocument decoded, StoredBodies bodies) {
    return state.loadStoredIfEmpty(decoded, bodies);
  }

  /** How many changes have been applied (queued changes do not count). */
  @Override
  public synchronized int changeCount() {
    return state.graph().size();
  }

  /** Whether the change with {@code hash} has been applied (queued changes do not count). */
  public synchronized boolean hasChange(ChangeHash hash) {
    return state.graph().contains(hash);
  }

  /**
   * The hashes of the applied changes that {@code heads} have not seen, in the order they were
   * applied; hashes in {@code heads} this document lacks are ignored. Cheaper than {@link
   * #changesSince}, which decodes every change.
   */
  public synchronized List<ChangeHash> hashesSince(List<ChangeHash> heads) {
    return HistoryQueries.hashesSince(state.graph(), heads);
  }

  /** The direct dependencies of the applied change {@code hash}, empty if it is not applied. */
  public synchronized Optional<List<ChangeHash>> dependenciesOf(ChangeHash hash) {
    return HistoryQueries.dependenciesOf(state.graph(), hash);
  }

  /**
   * The encoded chunk of the applied change {@code hash}, without decoding it; empty if it is not
   * applied.
   */
  public synchronized Optional<byte[]> changeBytes(ChangeHash hash) {
    ChangeGraph graph = state.graph();
    int index = graph.indexOf(hash);
    return index < 0 ? Optional.empty() : Optional.of(graph.chunk(index));
  }

  /**
   * The bytes {@link #save()} would return, without moving the mark {@link #saveIncremental} counts
   * from; for sending the whole document to a peer.
   */
  public synchronized byte[] saveSnapshot() {
    return DocumentBytes.whole(state, true);
  }

  /** Applies every change of {@code other} that this document lacks. */
  public void merge(Document other) {
    List<ChangeHash> ours = heads();
    applyChanges(other.changesSince(ours));
  }

  /**
   * A copy of this document with its own fresh actor, sharing this document's clock and counting
   * text in the same unit.
   */
  public Document fork() {
    return fork(ActorId.random());
  }

  /**
   * A copy of this document that commits as {@code actor}, sharing this document's clock and
   * counting text in the same unit.
   */
  public Document fork(ActorId actor) {
    return fork(actor, new DocumentOptions(textUnit));
  }

  /**
   * A copy of this document that commits as {@code actor}, sharing this document's clock, and
   * behaves as {@code options} say.
   */
  public synchronized Document fork(ActorId actor, DocumentOptions options) {
    Document copy = new Document(actor, clock, Objects.requireNonNull(options, "options"));
    copy.state.apply(state.graph().all(), false);
    return copy;
  }

  /**
   * A copy of this document as it was at {@code heads}, with a fresh actor, sharing this document's
   * clock.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  public synchronized Document forkAt(List<ChangeHash> heads) {
    List<Change> past = HistoryQueries.changesAt(state.graph(), heads);
    Document copy = new Document(ActorId.random(), clock, new DocumentOptions(textUnit));
    copy.state.apply(past, false);
    return copy;
  }

  /**
   * A read-only view of this document as it was at {@code heads} (time travel). The view reads the
   * live op set: use it before further changes are applied to this document.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  @Override
  public synchronized ReadableDocument at(List<ChangeHash> heads) {
    return new OpSetView(state.opSet(), clockAt(heads), textUnit);
  }

  /** The ops the version {@code heads} has seen: per actor, the highest counter. */
  private Clock clockAt(List<ChangeHash> heads) {
    return HistoryQueries.clockAt(state.graph(), state.opSet(), heads);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One pass over the ops of every object reachable in {@code after}; see {@link OpSetDiff}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  @Override
  public synchronized List<Patch> diff(List<ChangeHash> before, List<ChangeHash> after) {
    return OpSetDiff.diff(state.opSet(), clockAt(before), clockAt(after), textUnit);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the range is out of bounds
   */
  @Override
  public synchronized List<ChangeSummary> changeSummaries(int fromIndex, int toIndex) {
    return HistoryQueries.changeSummaries(state.graph(), fromIndex, toIndex);
  }

  @Override
  public synchronized OptionalInt changeIndex(ChangeHash hash) {
    int index = state.graph().indexOf(hash);
    return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if {@code count} is out of bounds
   */
  @Override
  public synchronized List<ChangeHash> headsOfFirst(int count) {
    return HistoryQueries.headsOfFirst(state.graph(), count);
  }

  /**
   * How the version {@code a} relates to the version {@code b}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  public synchronized Causality compare(List<ChangeHash> a, List<ChangeHash> b) {
    return HistoryQueries.compare(state.graph(), a, b);
  }

  @Override
  public TextUnit textUnit() {
    return textUnit;
  }

  /**
   * This document counting text in {@code unit}. The view holds no state of its own: it reads the
   * document as it is at each call, under the document's lock.
   */
  @Override
  public ReadableDocument inUnit(TextUnit unit) {
    return unit == textUnit ? this : new DocumentInUnit(this, unit);
  }

  /** A reader of the current state counting text in {@code unit}; the caller holds the lock. */
  OpSetView viewIn(TextUnit unit) {
    return state.view().inUnit(unit);
  }

  @Override
  Object lock() {
    return this;
  }

  @Override
  OpSetView current() {
    return state.view();
  }
}
