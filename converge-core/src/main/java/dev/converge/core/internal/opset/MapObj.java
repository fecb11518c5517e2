package dev.converge.core.internal.opset;

import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A map or table: the ops at each key, in op ID order.
 *
 * <p>A key keeps every op ever put under it, and most of them are overwritten: a key written
 * 100,000 times holds 100,000 ops of which one is visible. So that finding the visible ones (a new
 * op's predecessors, a key's conflicts) does not cost the key's whole history, a long slot may
 * carry a {@link Hint}: an index before which every op of the slot is overwritten. The op set
 * itself does not maintain hints, so each is checked when used and ignored when it no longer fits
 * the slot (see {@link #invisibleBefore}).
 */
final class MapObj extends ObjState {
  final HashMap<String, ArrayList<Op>> keys = new HashMap<>();

  /**
   * Ops a loaded document chunk stores in this map with an element key or the insert flag, which
   * JavaScript Automerge keeps but shows at no key (only a file no Automerge wrote has one), kept
   * so that they save and hash as they came; null until the first.
   */
  @Nullable ArrayList<Op> unkeyed;

  /** Hints of the keys that have one; null until the first. */
  private @Nullable HashMap<String, Hint> hints;

  /**
   * Every op of the slot before index {@code start} is invisible, and {@code boundary} is the op at
   * {@code start - 1} when the hint was made.
   */
  record Hint(int start, Op boundary) {}

  MapObj(ObjId id, ObjType type, @Nullable Op makeOp, @Nullable ObjState parent) {
    super(id, type, makeOp, parent);
  }

  /**
   * The index before which every op at {@code key} is known to be invisible; 0 when nothing is
   * known.
   *
   * <p>Why a hint still holding its boundary op at {@code start - 1} is sound: ops only ever gain
   * successors and enter slots, except when an {@link UndoLog} rolls back, and a rollback restores
   * the op set to exactly what it was when the log opened. A hint is set either together with an
   * undo step that puts the previous hint back ({@link #setHint}) or while no undo log is open
   * ({@link #setCommittedHint}), so after a rollback the hint is one that held for the restored op
   * set. Between rollbacks an op before {@code start} stays invisible (it keeps its successors); an
   * op inserted before {@code start} (a concurrent op with a smaller ID) moves the boundary op to a
   * later index, and the hint is ignored.
   */
  int invisibleBefore(String key, List<Op> slot) {
    if (hints == null) {
      return 0;
    }
    Hint hint = hints.get(key);
    if (hint == null
        || hint.start() > slot.size()
        || slot.get(hint.start() - 1) != hint.boundary()) {
      return 0;
    }
    return hint.start();
  }

  /**
   * Records that every op of the slot at {@code key} before {@code start} (at least 1) is
   * invisible; {@code undo} gets the step that puts the previous hint back, so a rolled back
   * transaction leaves no hint that counted on its ops.
   */
  void setHint(String key, List<Op> slot, int start, UndoLog undo) {
    java.util.Objects.requireNonNull(undo, "a hint needs an undo log");
    Map<String, Hint> all = hints();
    Hint previous = all.put(key, new Hint(start, slot.get(start - 1)));
    undo.record(
        () -> {
          if (previous == null) {
            all.remove(key);
          } else {
            all.put(key, previous);
          }
        });
  }

  /**
   * The index of the first visible op at {@code key} (the slot's size when none is), scanning from
   * the key's hint; moves the hint up to it, with {@code undo} to put the previous one back, once
   * the scan skipped {@link LocalTransaction#HINT_STEP} ops or more, so that the next scan starts
   * there instead of at the key's history.
   */
  int skipInvisible(String key, List<Op> slot, @Nullable UndoLog undo) {
    int start = invisibleBefore(key, slot);
    int invisible = start;
    while (invisible < slot.size() && !slot.get(invisible).isVisible()) {
      invisible++;
    }
    if (invisible - start >= LocalTransaction.HINT_STEP && undo != null) {
      setHint(key, slot, invisible, undo);
    }
    return invisible;
  }

  /**
   * Like {@link #setHint}, for a reader of the op set as committed: no undo log is open on it (no
   * local transaction, see {@link LocalTransaction#openOnThisThread}, and remote changes are
   * applied without calling readers), so no rollback can take away the successors the hint counts
   * on.
   */
  void setCommittedHint(String key, List<Op> slot, int start) {
    hints().put(key, new Hint(start, slot.get(start - 1)));
  }

  private Map<String, Hint> hints() {
    if (hints == null) {
      hints = new HashMap<>();
    }
    return hints;
  }
}
