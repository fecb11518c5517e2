package dev.converge.core;

import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.concurrent.SideTask;
import dev.converge.core.internal.dag.BatchRules;
import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.dag.ChangeQueue;
import dev.converge.core.internal.dag.StoredBodies;
import dev.converge.core.internal.document.DecodedDocument;
import dev.converge.core.internal.opset.LocalTransaction;
import dev.converge.core.internal.opset.OpLookup;
import dev.converge.core.internal.opset.OpSet;
import dev.converge.core.internal.opset.OpSetLoader;
import dev.converge.core.internal.opset.OpSetView;
import dev.converge.core.internal.opset.PatchLog;
import dev.converge.core.internal.opset.UndoLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The state behind a {@link Document} and the three ways it changes: a local change committed, a
 * batch of changes applied, a stored document loaded into an empty one. Each is all or nothing:
 * what fails halfway is rolled back before the exception propagates.
 *
 * <p>Not thread-safe: the document calls it under its lock.
 */
final class DocumentState {
  private final HybridClock clock;
  private final TextUnit textUnit;
  // Replaced as a whole only when a load into an empty document fails halfway.
  private OpSet opSet = new OpSet();
  private ChangeGraph graph = new ChangeGraph();
  private final ChangeQueue queue = new ChangeQueue();
  private OpSetView view;
  private final List<PatchListener> listeners = new CopyOnWriteArrayList<>();

  DocumentState(HybridClock clock, TextUnit textUnit) {
    this.clock = clock;
    this.textUnit = textUnit;
    this.view = new OpSetView(opSet, null, textUnit);
  }

  OpSet opSet() {
    return opSet;
  }

  ChangeGraph graph() {
    return graph;
  }

  ChangeQueue queue() {
    return queue;
  }

  /** The current state, counting text in the document's unit. */
  OpSetView view() {
    return view;
  }

  List<PatchListener> listeners() {
    return listeners;
  }

  /**
   * Runs {@code edits} as one local change by {@code actor}, committed when they return with at
   * least one op; see {@link Document#change(CommitOptions, java.util.function.Consumer)}.
   */
  Optional<Change> commit(
      ActorId actor, CommitOptions options, BiConsumer<LocalTransaction, OpLookup> edits) {
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
    long time =
        options.time().isPresent()
            ? options.time().getAsLong()
            : clock.issue(HistoryQueries.headTimes(graph));
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
    // A local change cannot be what a queued remote change waits on unless that remote change
    // names a hash it could not have known; releasing keeps the queue consistent anyway.
    queue.release(change.hash()).forEach(waiting -> apply(List.of(waiting), true));
    notify(patches);
    return Optional.of(change);
  }

  /**
   * Applies {@code changes} as {@link Document#applyChanges(Collection)} does; {@code observe}
   * shows their times to the clock (not for a copy of changes this device already observed).
   *
   * @return how many changes were applied now, queued ones that became ready included
   * @throws CorruptDataException if a change contradicts the document; nothing is applied then
   */
  int apply(Collection<Change> changes, boolean observe) {
    BatchRules.check(
        changes,
        queue.changes(),
        graph::contains,
        actor -> opSet.actors().indexOf(actor) >= 0,
        graph::lastSeq);
    int sizeBefore = graph.size();
    // Into an empty document (a replica's first sync, a log opened) nothing needs undoing on
    // failure but the whole state, which is then reset: recording an inverse of every mutation
    // cost a third of applying a whole history.
    boolean fromEmpty = sizeBefore == 0 && queue.size() == 0;
    @Nullable UndoLog undo = fromEmpty ? null : new UndoLog();
    @Nullable PatchLog patches = listeners.isEmpty() ? null : new PatchLog(textUnit);
    List<Change> queuedBefore = queue.changes();
    int actorsBefore = opSet.actors().size();
    List<List<ChangeHash>> replacedHeads = new ArrayList<>();
    int applied = 0;
    opSet.beginBatch(changes, queuedBefore);
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
      if (undo == null) {
        queue.clear();
        resetToEmpty();
        throw e;
      }
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
    } finally {
      opSet.endBatch();
    }
    if (observe) {
      observeTimes(sizeBefore, graph.size());
    }
    notify(patches);
    return applied;
  }

  private void applyOne(Change change, @Nullable UndoLog undo, @Nullable PatchLog patches) {
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

  private void notify(@Nullable PatchLog patches) {
    if (patches != null && !patches.isEmpty()) {
      List<Patch> drained = patches.drain();
      for (PatchListener listener : listeners) {
        listener.onPatches(drained);
      }
    }
  }

  /**
   * Fills this empty state from a decoded document chunk: the op set straight from the stored ops
   * (already in document order), the change graph from the changes rebuilt and checked against the
   * stored heads; then shows the clock their times.
   */
  void loadStored(DecodedDocument decoded, StoredBodies bodies) {
    // The op set and the change graph are built from the same decoded chunk and share nothing, so
    // the op set is filled on a second core while this thread rebuilds and hashes the changes.
    OpSet target = opSet;
    SideTask<Void> ops = SideTask.start(() -> OpSetLoader.load(target, decoded.opColumns()));
    try {
      decoded.reconstructInto(graph, bodies);
    } catch (RuntimeException | Error e) {
      ops.awaitQuietly();
      throw e;
    }
    ops.join();
    // Deletes are no stored ops: without this, a change made next could start at or below the
    // maxOp of its own deps, and its ops would fall outside the range a document chunk gives it.
    target.raiseMaxOp(graph.largestMaxOp());
    observeTimes(0, graph.size());
  }

  /**
   * Loads a whole document chunk the fast way (as {@link Document#load} does) when this state has
   * nothing yet and nobody listens for patches: a peer catching up from nothing gets a whole
   * document. All or nothing: if it fails halfway, the state is reset to empty.
   *
   * @return whether it was loaded
   */
  boolean loadStoredIfEmpty(DecodedDocument decoded, StoredBodies bodies) {
    if (graph.size() != 0 || queue.size() != 0 || !listeners.isEmpty()) {
      return false;
    }
    try {
      loadStored(decoded, bodies);
    } catch (RuntimeException e) {
      resetToEmpty();
      throw e;
    }
    return true;
  }

  /**
   * Drops the op set and the change graph for empty ones, after a failed fill of an empty state.
   */
  private void resetToEmpty() {
    opSet = new OpSet();
    graph = new ChangeGraph();
    view = new OpSetView(opSet, null, textUnit);
  }

  /** Shows the clock the times of the changes at graph indexes {@code from} to {@code to}. */
  private void observeTimes(int from, int to) {
    clock.observeAll(graph::time, from, to);
  }
}
