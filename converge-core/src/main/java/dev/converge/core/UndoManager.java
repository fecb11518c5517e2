package dev.converge.core;

import dev.converge.core.internal.undo.Aliases;
import dev.converge.core.internal.undo.MarkHistory;
import dev.converge.core.internal.undo.Reverter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Undo and redo for one document's local changes made through this manager, in groups.
 *
 * <p>Grouping: a change joins the group of the previous one when it comes less than {@link
 * UndoOptions#mergeIntervalMillis()} after it, so a burst of typing undoes at once. Between {@link
 * #startGroup()} and {@link #endGroup()} every change joins one group whatever the time; {@link
 * #breakGroup()} makes the next change start a new group. Changes made with {@link Document#change}
 * directly, and changes from other actors, are never undone, but every undo takes them into
 * account.
 *
 * <p>Undo and redo are ordinary changes: {@link #undo()} commits one change that reverts the
 * visible effect of the newest group still on the undo stack, and pushes it onto the redo stack;
 * {@link #redo()} reverts that undo the same way. Any other change made through this manager
 * empties the redo stack. Every peer, JavaScript Automerge included, applies these changes like any
 * other.
 *
 * <p>What reverting means in a CRDT, where nothing is ever taken back, only added:
 *
 * <ul>
 *   <li>An overwritten value comes back as a new op holding it; an overwritten or deleted object
 *       comes back as a new object (a new ID) holding a copy of the old object's current content:
 *       its values, elements and marks, at any depth. Counters come back with their total.
 *   <li>Deleted text or list items come back as new elements with the old values, each inserted
 *       right after the tombstone of the element it replaces, so it lands exactly where that
 *       element was. Text another actor inserted inside the deleted range, concurrently with the
 *       delete, stays between the same characters it was typed between; text typed at the gap after
 *       the delete was seen stays before the restored text. Edits another actor makes to the old
 *       elements later (a delete, a mark ending on one) do not reach the new ones, and a {@link
 *       Cursor} on an old element resolves to where it was: just before its replacement.
 *   <li>Inserted text and items are deleted; an increment is undone by adding its opposite; a mark
 *       is undone by marking, where it still wins, what would win without it.
 *   <li>Later undos and redos follow the new ops: undoing an older group finds the values and
 *       elements an undo brought back and acts on them.
 * </ul>
 *
 * <p>Other actors' work survives every undo and redo: nothing another actor wrote is overwritten,
 * deleted or hidden. A value this actor put is only deleted, not replaced by the old one, where
 * another actor has written a concurrent value; an old value is not brought back where another
 * actor also removed it or has put something since; an object holding another actor's values is not
 * removed; a mark of another actor that wins somewhere keeps winning there. Parts of a group that
 * another actor has overwritten since are left as they are, and a group none of whose effects is
 * visible any more is skipped.
 *
 * <p>Thread-safety: every method is synchronized on the manager, then the document; use one manager
 * per document and actor.
 */
public final class UndoManager {
  private final Document doc;
  private final UndoOptions options;
  private final Aliases aliases = new Aliases();
  private final MarkHistory marks = new MarkHistory();
  private final ArrayDeque<List<Change>> undoStack = new ArrayDeque<>();
  private final ArrayDeque<List<Change>> redoStack = new ArrayDeque<>();
  private int groupDepth;
  private boolean groupBreak = true;
  private long lastChangeMillis;

  /** A manager for the changes made through it to {@code doc}, grouped as {@code options} say. */
  public UndoManager(Document doc, UndoOptions options) {
    this.doc = Objects.requireNonNull(doc, "doc");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Runs {@code edits} as one local change and records it for undo. */
  public Optional<Change> change(Consumer<Transaction> edits) {
    return change(CommitOptions.defaults(), edits);
  }

  /**
   * Runs {@code edits} as one local change, as {@link Document#change(CommitOptions, Consumer)}
   * does, and records it in the current undo group or a new one; empties the redo stack.
   *
   * @return the committed change, empty if there were no edits
   */
  public synchronized Optional<Change> change(CommitOptions options, Consumer<Transaction> edits) {
    // Under the document's lock, so that no remote change comes between the change and the
    // record of what its marks cover up.
    synchronized (doc) {
      Optional<Change> made = doc.change(options, edits);
      made.ifPresent(this::record);
      return made;
    }
  }

  /** Records what the change's marks cover up. */
  private void recordMarks(Change change) {
    if (change.ops().stream().anyMatch(op -> op.action() == Action.MARK)) {
      doc.changeOps(
          CommitOptions.defaults(),
          (tx, lookup) -> marks.record(change.actor(), change.startOp(), change.ops(), lookup));
    }
  }

  private void record(Change change) {
    recordMarks(change);
    long now = options.clockMillis().getAsLong();
    long sinceLast = now - lastChangeMillis;
    boolean joins =
        !groupBreak
            && !undoStack.isEmpty()
            && (groupDepth > 0 || (sinceLast >= 0 && sinceLast < options.mergeIntervalMillis()));
    if (joins) {
      undoStack.peek().add(change);
    } else {
      List<Change> group = new ArrayList<>();
      group.add(change);
      push(undoStack, group);
    }
    redoStack.clear();
    lastChangeMillis = now;
    groupBreak = false;
  }

  private void push(ArrayDeque<List<Change>> stack, List<Change> group) {
    stack.push(group);
    while (stack.size() > options.groupsMax()) {
      stack.removeLast();
    }
  }

  /**
   * Starts an explicit group: every change until the matching {@link #endGroup()} joins one new
   * group. Groups nest; only the outermost counts.
   */
  public synchronized void startGroup() {
    if (groupDepth == 0) {
      groupBreak = true;
    }
    groupDepth++;
  }

  /**
   * Ends the group {@link #startGroup()} started; the next change starts a new group.
   *
   * @throws IllegalStateException if no group is open
   */
  public synchronized void endGroup() {
    if (groupDepth == 0) {
      throw new IllegalStateException("endGroup without a matching startGroup");
    }
    groupDepth--;
    if (groupDepth == 0) {
      groupBreak = true;
    }
  }

  /** Makes the next change start a new group, however soon it comes. */
  public synchronized void breakGroup() {
    groupBreak = true;
  }

  /** Whether a group is on the undo stack (its undo may still find nothing left to revert). */
  public synchronized boolean canUndo() {
    return !undoStack.isEmpty();
  }

  /** Whether an undo is on the redo stack. */
  public synchronized boolean canRedo() {
    return !redoStack.isEmpty();
  }

  /**
   * Commits one change reverting the newest group whose effect is still visible in part, skipping
   * (and dropping) groups with nothing left to revert.
   *
   * @return the undo change, empty if nothing was left to undo
   */
  public synchronized Optional<Change> undo() {
    return revertNewest(undoStack, redoStack);
  }

  /**
   * Commits one change reverting the newest undo on the redo stack, which reapplies what it undid.
   *
   * @return the redo change, empty if nothing was left to redo
   */
  public synchronized Optional<Change> redo() {
    return revertNewest(redoStack, undoStack);
  }

  private Optional<Change> revertNewest(
      ArrayDeque<List<Change>> from, ArrayDeque<List<Change>> to) {
    groupBreak = true;
    while (!from.isEmpty()) {
      List<Change> group = from.pop();
      Optional<Change> made =
          doc.changeOps(
              CommitOptions.defaults(),
              (tx, lookup) -> Reverter.revert(group, tx, lookup, aliases, marks, doc.actor()));
      if (made.isPresent()) {
        List<Change> reverting = new ArrayList<>();
        reverting.add(made.get());
        push(to, reverting);
        return made;
      }
    }
    return Optional.empty();
  }
}
