package dev.converge.core;

import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.ChunkType;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.concurrent.SideTask;
import dev.converge.core.internal.dag.BatchRules;
import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.dag.ChangeQueue;
import dev.converge.core.internal.document.DecodedDocument;
import dev.converge.core.internal.document.DocChanges;
import dev.converge.core.internal.document.DocumentChunk;
import dev.converge.core.internal.opset.Clock;
import dev.converge.core.internal.opset.LocalTransaction;
import dev.converge.core.internal.opset.OpLookup;
import dev.converge.core.internal.opset.OpSet;
import dev.converge.core.internal.opset.OpSetDiff;
import dev.converge.core.internal.opset.OpSetExport;
import dev.converge.core.internal.opset.OpSetLoader;
import dev.converge.core.internal.opset.OpSetView;
import dev.converge.core.internal.opset.PatchLog;
import dev.converge.core.internal.opset.UndoLog;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

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
 * change.
 */
public final class Document implements DocumentHistory {
  private ActorId actor;
  private final HybridClock clock;
  private final TextUnit textUnit;
  // Replaced as a whole only when a load into an empty document fails halfway.
  private OpSet opSet = new OpSet();
  private ChangeGraph graph = new ChangeGraph();
  private final ChangeQueue queue = new ChangeQueue();
  private OpSetView view;
  private final List<PatchListener> listeners = new CopyOnWriteArrayList<>();
  private List<ChangeHash> savedHeads = List.of();

  private Document(ActorId actor, HybridClock clock, DocumentOptions options) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.textUnit = options.textUnit();
    this.view = new OpSetView(opSet, null, textUnit);
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
    List<Chunk> chunks = Chunks.split(bytes);
    boolean startsWithDocument = !chunks.isEmpty() && chunks.get(0).type() == ChunkType.DOCUMENT;
    List<Change> changes = new ArrayList<>();
    DocumentChunk.DecodeOptions decodeOptions =
        new DocumentChunk.DecodeOptions(
            options.verification() == Verification.STRICT,
            options.inflatedBytesMax(),
            options.opsMax());
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      if (chunk.type() == ChunkType.DOCUMENT) {
        if (i == 0) {
          doc.loadStored(DocumentChunk.decode(chunk, decodeOptions));
          doc.observeTimes(0, doc.graph.size());
        } else if (!doc.graph.containsAll(DocumentChunk.heads(chunk, decodeOptions))) {
          // As JavaScript: a later document chunk whose heads the document has is not read on.
          changes.addAll(DocumentChunk.decode(chunk, decodeOptions).reconstructChanges());
        }
      } else {
        changes.add(ChangeChunks.decode(chunk, options.inflatedBytesMax(), options.opsMax()));
      }
      if (changes.size() > options.opsMax()) {
        throw new LimitExceededException("file holds more than " + options.opsMax() + " changes");
      }
    }
    doc.applyChanges(changes);
    if (!startsWithDocument && !doc.missingDeps().isEmpty()) {
      throw new MissingDependenciesException(doc.missingDeps());
    }
    doc.savedHeads = doc.graph.heads();
    return doc;
  }

  /**
   * Fills this empty document from a decoded document chunk: the op set straight from the stored
   * ops (already in document order), the change graph from the changes rebuilt and checked against
   * the stored heads.
   */
  private void loadStored(DecodedDocument decoded) {
    // The op set and the change graph are built from the same decoded chunk and share nothing, so
    // the op set is filled on a second core while this thread rebuilds and hashes the changes.
    OpSet target = opSet;
    SideTask<Void> ops = SideTask.start(() -> OpSetLoader.load(target, decoded.opColumns()));
    try {
      decoded.reconstructInto(graph);
    } catch (RuntimeException | Error e) {
      ops.awaitQuietly();
      throw e;
    }
    ops.join();
    // Deletes are no stored ops: without this, a change made next could start at or below the
    // maxOp of its own deps, and its ops would fall outside the range a document chunk gives it.
    target.raiseMaxOp(graph.largestMaxOp());
  }

  /** Shows the clock the times of the changes at graph indexes {@code from} to {@code to}. */
  private void observeTimes(int from, int to) {
    for (int i = from; i < to; i++) {
      clock.observe(graph.time(i));
    }
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = DocumentChunk.encode(documentContents(), compress);
    out.write(chunk, 0, chunk.length);
    for (Change queued : queue.changes()) {
      queued.writeTo(out);
    }
    savedHeads = graph.heads();
    return out.toByteArray();
  }

  /** The changes made since the last save or incremental save, as concatenated change chunks. */
  public synchronized byte[] saveIncremental() {
    byte[] bytes = saveSince(savedHeads);
    savedHeads = graph.heads();
    return bytes;
  }

  /** The changes {@code heads} have not seen, as concatenated change chunks. */
  public synchronized byte[] saveSince(List<ChangeHash> heads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Change change : graph.changesSince(heads)) {
      change.writeTo(out);
    }
    return out.toByteArray();
  }

  private DecodedDocument documentContents() {
    List<ActorId> actors = new ArrayList<>(graph.actors());
    actors.sort(null);
    int size = graph.size();
    DocChanges changes = DocChanges.withCapacity(actors, size, size);
    // The graph holds each actor's changes in seq order, so counting gives the seq.
    int[] seqByActor = new int[0];
    int[] sortedIndex = new int[0];
    for (int i = 0; i < size; i++) {
      int actorIndex = graph.actorIndex(i);
      if (actorIndex >= seqByActor.length) {
        int grown = Math.max(actorIndex + 1, seqByActor.length * 2);
        seqByActor = Arrays.copyOf(seqByActor, grown);
        sortedIndex = Arrays.copyOf(sortedIndex, grown);
      }
      if (seqByActor[actorIndex] == 0) {
        sortedIndex[actorIndex] = Collections.binarySearch(actors, graph.actor(i));
      }
      long seq = ++seqByActor[actorIndex];
      changes.add(
          sortedIndex[actorIndex],
          seq,
          graph.maxOp(i),
          graph.time(i),
          graph.message(i).orElse(null),
          graph.extraBytes(i));
      for (int d = 0, n = graph.depCount(i); d < n; d++) {
        changes.addDep(graph.dep(i, d));
      }
    }
    List<ChangeHash> heads = graph.heads();
    List<Integer> headRows = new ArrayList<>(heads.size());
    for (ChangeHash head : heads) {
      headRows.add(graph.indexOf(head));
    }
    return new DecodedDocument(
        actors, heads, headRows, changes, new OpSetExport(opSet, actors).ops());
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
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(PatchListener listener) {
    listeners.remove(listener);
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
    UndoLog undo = new UndoLog();
    @Nullable PatchLog patches = listeners.isEmpty() ? null : new PatchLog(textUnit);
    int actorsBefore = opSet.actors().size();
    LocalTransaction tx = new LocalTransaction(opSet, actor, undo, patches, textUnit);
    try {
      edits.accept(tx, new OpLookup(opSet));
    } catch (RuntimeException | Error e) {
      undo.rollback();
      opSet.actors().truncate(actorsBefore);
      throw e;
    } finally {
      tx.close();
    }
    if (tx.ops().isEmpty()) {
      return Optional.empty();
    }
    long time = options.time().isPresent() ? options.time().getAsLong() : clock.issue(headTimes());
    Change change =
        ChangeChunks.encode(
            actor,
            graph.lastSeq(actor) + 1,
            tx.startOp(),
            time,
            options.message(),
            graph.heads(),
            tx.ops(),
            new byte[0]);
    graph.add(change);
    queue.release(change.hash()).forEach(waiting -> applyReleased(waiting));
    notify(patches);
    return Optional.of(change);
  }

  private long[] headTimes() {
    List<ChangeHash> heads = graph.heads();
    long[] times = new long[heads.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = graph.time(graph.indexOf(heads.get(i)));
    }
    return times;
  }

  // A local change cannot be what a queued remote change waits on unless that remote change
  // names a hash it could not have known; releasing keeps the queue consistent anyway.
  private void applyReleased(Change change) {
    applyChanges(List.of(change), true);
  }

  private void notify(@Nullable PatchLog patches) {
    if (patches != null && !patches.isEmpty()) {
      List<dev.converge.core.Patch> drained = patches.drain();
      for (PatchListener listener : listeners) {
        listener.onPatches(drained);
      }
    }
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
    return applyChanges(changes, true);
  }

  /**
   * Applies {@code changes} as {@link #applyChanges(Collection)} does; {@code observe} shows their
   * times to the clock (not for a copy of changes this device already observed).
   */
  private int applyChanges(Collection<Change> changes, boolean observe) {
    BatchRules.check(
        changes,
        queue.changes(),
        graph::contains,
        actor -> opSet.actors().indexOf(actor) >= 0,
        graph::lastSeq);
    int sizeBefore = graph.size();
    UndoLog undo = new UndoLog();
    @Nullable PatchLog patches = listeners.isEmpty() ? null : new PatchLog(textUnit);
    List<Change> queuedBefore = queue.changes();
    int actorsBefore = opSet.actors().size();
    List<List<ChangeHash>> replacedHeads = new ArrayList<>();
    int applied = 0;
    try {
      // Each change is applied as soon as its dependencies are in, so input that is already in
      // causal order is applied in exactly that order, as Automerge does.
      ArrayList<Change> ready = new ArrayList<>();
      for (Change change : changes) {
        if (graph.contains(change.hash()) || queue.contains(change.hash())) {
          continue;
        }
        if (queue.offer(change, graph::contains)) {
          continue;
        }
        ready.clear();
        ready.add(change);
        for (int i = 0; i < ready.size(); i++) {
          Change next = ready.get(i);
          applyOne(next, undo, patches);
          replacedHeads.add(graph.add(next));
          applied++;
          ready.addAll(queue.release(next.hash()));
        }
      }
    } catch (RuntimeException e) {
      undo.rollback();
      for (int i = replacedHeads.size() - 1; i >= 0; i--) {
        graph.removeLast(replacedHeads.get(i));
      }
      opSet.actors().truncate(actorsBefore);
      queue.clear();
      for (Change change : queuedBefore) {
        queue.offer(change, graph::contains);
      }
      throw e;
    }
    if (observe) {
      observeTimes(sizeBefore, graph.size());
    }
    notify(patches);
    return applied;
  }

  private void applyOne(Change change, UndoLog undo, @Nullable PatchLog patches) {
    long lastSeq = graph.lastSeq(change.actor());
    if (change.seq() != lastSeq + 1) {
      throw new CorruptDataException(
          "change "
              + change.hash()
              + " by "
              + change.actor()
              + " has seq "
              + change.seq()
              + ", expected "
              + (lastSeq + 1));
    }
    int actorIndex = opSet.intern(change.actor());
    List<ChangeOp> ops = change.ops();
    for (int i = 0; i < ops.size(); i++) {
      opSet.apply(ops.get(i), change.startOp() + i, actorIndex, undo, patches);
    }
  }

  /** Hashes that queued changes depend on and that this document has not seen, sorted. */
  public synchronized List<ChangeHash> missingDeps() {
    return queue.missing();
  }

  /** Changes received but waiting for their dependencies, in arrival order. */
  public synchronized List<Change> queuedChanges() {
    return queue.changes();
  }

  /** The hashes of the changes no other change depends on, sorted. */
  @Override
  public synchronized List<ChangeHash> heads() {
    return graph.heads();
  }

  /** Every applied change, in the order it was applied (a causal order). */
  public synchronized List<Change> changes() {
    return graph.all();
  }

  /** The applied changes that {@code heads} have not seen, in causal order. */
  public synchronized List<Change> changesSince(List<ChangeHash> heads) {
    return graph.changesSince(heads);
  }

  /** The applied change with {@code hash}. */
  public synchronized Optional<Change> getChange(ChangeHash hash) {
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
    List<Change> changes = new ArrayList<>();
    DocumentChunk.DecodeOptions decodeOptions =
        new DocumentChunk.DecodeOptions(
            options.verification() == Verification.STRICT,
            options.inflatedBytesMax(),
            options.opsMax());
    int loadedStored = 0;
    for (Chunk chunk : Chunks.split(bytes)) {
      if (chunk.type() == ChunkType.DOCUMENT) {
        DecodedDocument decoded = DocumentChunk.decode(chunk, decodeOptions);
        if (changes.isEmpty() && loadStoredIfEmpty(decoded)) {
          loadedStored = graph.size();
          observeTimes(0, loadedStored);
        } else {
          changes.addAll(decoded.reconstructChanges());
        }
      } else {
        changes.add(ChangeChunks.decode(chunk, options.inflatedBytesMax(), options.opsMax()));
      }
      if (changes.size() > options.opsMax()) {
        throw new LimitExceededException("input holds more than " + options.opsMax() + " changes");
      }
    }
    return loadedStored + applyChanges(changes);
  }

  /**
   * Loads a whole document chunk the fast way (as {@link #load} does) when this document has
   * nothing yet and nobody listens for patches: a peer catching up from nothing gets a whole
   * document. All or nothing: if it fails halfway, the document is reset to empty.
   */
  private synchronized boolean loadStoredIfEmpty(DecodedDocument decoded) {
    if (graph.size() != 0 || queue.size() != 0 || !listeners.isEmpty()) {
      return false;
    }
    try {
      loadStored(decoded);
    } catch (RuntimeException e) {
      opSet = new OpSet();
      graph = new ChangeGraph();
      view = new OpSetView(opSet, null, textUnit);
      throw e;
    }
    return true;
  }

  /** How many changes have been applied (queued changes do not count). */
  @Override
  public synchronized int changeCount() {
    return graph.size();
  }

  /** Whether the change with {@code hash} has been applied (queued changes do not count). */
  public synchronized boolean hasChange(ChangeHash hash) {
    return graph.contains(hash);
  }

  /**
   * The hashes of the applied changes that {@code heads} have not seen, in the order they were
   * applied; hashes in {@code heads} this document lacks are ignored. Cheaper than {@link
   * #changesSince}, which decodes every change.
   */
  public synchronized List<ChangeHash> hashesSince(List<ChangeHash> heads) {
    int[] indexes = graph.indexesSince(heads);
    List<ChangeHash> result = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      result.add(graph.hash(index));
    }
    return result;
  }

  /** The direct dependencies of the applied change {@code hash}, empty if it is not applied. */
  public synchronized Optional<List<ChangeHash>> dependenciesOf(ChangeHash hash) {
    int index = graph.indexOf(hash);
    if (index < 0) {
      return Optional.empty();
    }
    int[] deps = graph.depsOf(index);
    List<ChangeHash> result = new ArrayList<>(deps.length);
    for (int dep : deps) {
      result.add(graph.hash(dep));
    }
    return Optional.of(result);
  }

  /**
   * The encoded chunk of the applied change {@code hash}, without decoding it; empty if it is not
   * applied.
   */
  public synchronized Optional<byte[]> changeBytes(ChangeHash hash) {
    int index = graph.indexOf(hash);
    return index < 0 ? Optional.empty() : Optional.of(graph.chunk(index));
  }

  /**
   * The bytes {@link #save()} would return, without moving the mark {@link #saveIncremental} counts
   * from; for sending the whole document to a peer.
   */
  public synchronized byte[] saveSnapshot() {
    List<ChangeHash> mark = savedHeads;
    byte[] bytes = save(true);
    savedHeads = mark;
    return bytes;
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
    copy.applyChanges(graph.all(), false);
    return copy;
  }

  /**
   * A copy of this document as it was at {@code heads}, with a fresh actor, sharing this document's
   * clock.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  public synchronized Document forkAt(List<ChangeHash> heads) {
    BitSet closure = closure(heads);
    List<Change> past = new ArrayList<>();
    for (int i = closure.nextSetBit(0); i >= 0; i = closure.nextSetBit(i + 1)) {
      past.add(graph.get(i));
    }
    Document copy = new Document(ActorId.random(), clock, new DocumentOptions(textUnit));
    copy.applyChanges(past, false);
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
    return new OpSetView(opSet, clockAt(heads), textUnit);
  }

  /** The ops the version {@code heads} has seen: per actor, the highest counter. */
  private Clock clockAt(List<ChangeHash> heads) {
    BitSet closure = closure(heads);
    long[] maxOp = new long[opSet.actors().size()];
    for (int i = closure.nextSetBit(0); i >= 0; i = closure.nextSetBit(i + 1)) {
      int actorIndex = opSet.actors().indexOf(graph.actor(i));
      maxOp[actorIndex] = Math.max(maxOp[actorIndex], graph.maxOp(i));
    }
    return new Clock(maxOp);
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
    return OpSetDiff.diff(opSet, clockAt(before), clockAt(after), textUnit);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the range is out of bounds
   */
  @Override
  public synchronized List<ChangeSummary> changeSummaries(int fromIndex, int toIndex) {
    requireRange(fromIndex, toIndex);
    List<ChangeSummary> summaries = new ArrayList<>(toIndex - fromIndex);
    for (int i = fromIndex; i < toIndex; i++) {
      long startOp = graph.startOp(i);
      List<ChangeHash> deps = new ArrayList<>(graph.depCount(i));
      for (int d = 0; d < graph.depCount(i); d++) {
        deps.add(graph.hash(graph.dep(i, d)));
      }
      deps.sort(null);
      summaries.add(
          new ChangeSummary(
              graph.hash(i),
              graph.actor(i),
              graph.seq(i),
              startOp,
              (int) (graph.maxOp(i) - startOp + 1),
              graph.time(i),
              graph.message(i),
              deps));
    }
    return summaries;
  }

  @Override
  public synchronized OptionalInt changeIndex(ChangeHash hash) {
    int index = graph.indexOf(hash);
    return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if {@code count} is out of bounds
   */
  @Override
  public synchronized List<ChangeHash> headsOfFirst(int count) {
    requireRange(0, count);
    return graph.headsOfFirst(count);
  }

  private void requireRange(int fromIndex, int toIndex) {
    if (fromIndex < 0 || toIndex < fromIndex || toIndex > graph.size()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "change range "
              + fromIndex
              + ".."
              + toIndex
              + " is not within the document's "
              + graph.size()
              + " changes");
    }
  }

  private BitSet closure(List<ChangeHash> heads) {
    try {
      return graph.closure(heads);
    } catch (IllegalArgumentException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          Objects.requireNonNullElse(e.getMessage(), "heads not in the document"),
          e);
    }
  }

  /**
   * How the version {@code a} relates to the version {@code b}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  public synchronized Causality compare(List<ChangeHash> a, List<ChangeHash> b) {
    BitSet seenByA = closure(a);
    BitSet seenByB = closure(b);
    if (seenByA.equals(seenByB)) {
      return Causality.EQUAL;
    }
    BitSet aOnly = (BitSet) seenByA.clone();
    aOnly.andNot(seenByB);
    BitSet bOnly = (BitSet) seenByB.clone();
    bOnly.andNot(seenByA);
    if (aOnly.isEmpty()) {
      return Causality.BEFORE;
    }
    return bOnly.isEmpty() ? Causality.AFTER : Causality.CONCURRENT;
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
    return view.inUnit(unit);
  }

  @Override
  public synchronized Cursor cursor(ObjId seq, int index) {
    return view.cursor(seq, index);
  }

  @Override
  public synchronized int cursorPosition(Cursor cursor) {
    return view.cursorPosition(cursor);
  }

  @Override
  public synchronized String text(ObjId obj, int start, int end) {
    return view.text(obj, start, end);
  }

  @Override
  public synchronized ObjType objType(ObjId obj) {
    return view.objType(obj);
  }

  @Override
  public synchronized List<Conflict> conflicts(ObjId obj, String key) {
    return view.conflicts(obj, key);
  }

  @Override
  public synchronized List<Conflict> conflicts(ObjId obj, int index) {
    return view.conflicts(obj, index);
  }

  @Override
  public synchronized List<String> keys(ObjId obj) {
    return view.keys(obj);
  }

  @Override
  public synchronized int length(ObjId obj) {
    return view.length(obj);
  }

  @Override
  public synchronized String text(ObjId obj) {
    return view.text(obj);
  }

  @Override
  public synchronized List<Value> values(ObjId obj) {
    return view.values(obj);
  }

  @Override
  public synchronized List<Mark> marks(ObjId obj) {
    return view.marks(obj);
  }

  @Override
  public synchronized Object toJava(ObjId obj) {
    return view.toJava(obj);
  }

  @Override
  public synchronized String toJson() {
    return view.toJson();
  }
}
