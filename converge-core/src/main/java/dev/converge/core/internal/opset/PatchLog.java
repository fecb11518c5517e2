package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.Patch;
import dev.converge.core.PathElement;
import dev.converge.core.TextUnit;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects the visible effects of ops as they are applied, merging neighbours (typed characters
 * into one splice, consecutive deletes into one) so a listener gets few, exact patches. Text
 * positions and lengths count in the log's {@link TextUnit}.
 *
 * <p>The last splice, insert or delete stays open while the next op extends it, and becomes a patch
 * when something else comes or the log is drained: pasting n characters then costs O(n), not the
 * O(n²) of copying a growing string per character.
 */
public final class PatchLog {
  private final ArrayList<Patch> patches = new ArrayList<>();
  private final TextUnit unit;
  private @Nullable Open open;

  /** What the open patch is. */
  private enum Kind {
    SPLICE,
    INSERT,
    DELETE
  }

  /** The last splice, insert or delete, while it may still grow. */
  private static final class Open {
    final Kind kind;
    final ObjId obj;
    final List<PathElement> path;
    final int index;
    final StringBuilder text = new StringBuilder();
    final ArrayList<Value> values = new ArrayList<>();
    // For a splice, the width of text in the log's unit; for an insert, the values' count; for a
    // delete, the deleted width.
    int width;

    Open(Kind kind, ObjId obj, List<PathElement> path, int index) {
      this.kind = kind;
      this.obj = obj;
      this.path = path;
      this.index = index;
    }

    Patch toPatch() {
      switch (kind) {
        case SPLICE:
          return new Patch.SpliceText(obj, path, index, text.toString());
        case INSERT:
          return new Patch.Insert(obj, path, index, values);
        case DELETE:
          return new Patch.Delete(obj, path, index, width);
        default:
          throw new AssertionError(kind);
      }
    }
  }

  /** A log whose text positions count in {@code unit}. */
  public PatchLog(TextUnit unit) {
    this.unit = unit;
  }

  /** The unit text positions and lengths count in. */
  public TextUnit unit() {
    return unit;
  }

  /** The patches collected so far, and empties the log. */
  public List<Patch> drain() {
    close();
    List<Patch> result = List.copyOf(patches);
    patches.clear();
    return result;
  }

  public boolean isEmpty() {
    return patches.isEmpty() && open == null;
  }

  void mapChanged(
      OpSet opSet, MapObj map, String key, SlotState before, SlotState after, @Nullable Op op) {
    List<PathElement> path = OpSetReader.pathOf(opSet, map, unit);
    if (path == null) {
      return;
    }
    PathElement at = new PathElement.Key(key);
    @Nullable Op winner = after.winner();
    if (op != null && op.action() == Action.INCREMENT) {
      if (incremented(winner, op)) {
        add(new Patch.Increment(map.id, path, at, Op.incrementOf(op.value)));
      }
      return;
    }
    if (winner == null) {
      if (before.winner() != null) {
        add(new Patch.DeleteKey(map.id, path, key));
      }
    } else if (before.winner() != winner || before.visible() != after.visible()) {
      add(new Patch.Put(map.id, path, at, OpSetReader.valueOf(opSet, winner), after.visible() > 1));
    }
  }

  /** Whether the increment {@code op} counts in {@code winner}, the counter shown after it. */
  private static boolean incremented(@Nullable Op winner, Op op) {
    @Nullable List<Op> incs = winner == null ? null : winner.incs();
    return incs != null && incs.contains(op);
  }

  void inserted(OpSet opSet, SeqObj seq, Op element) {
    List<PathElement> path = OpSetReader.pathOf(opSet, seq, unit);
    if (path == null) {
      return;
    }
    int index = (int) seq.tree.widthBefore(element, unit);
    showed(opSet, seq, path, index, element, seq.tree.width(element, unit));
  }

  /** An element now shows {@code shown}, of {@code width} in the log's unit, at {@code index}. */
  private void showed(
      OpSet opSet, SeqObj seq, List<PathElement> path, int index, Op shown, int width) {
    String string = shown.shownString();
    if (seq.type == ObjType.TEXT && string != null) {
      Open splice = extend(Kind.SPLICE, seq.id, path, index);
      splice.text.append(string);
      splice.width += width;
    } else {
      Open insert = extend(Kind.INSERT, seq.id, path, index);
      insert.values.add(OpSetReader.valueOf(opSet, shown));
      insert.width++;
    }
  }

  void elementChanged(
      OpSet opSet,
      SeqObj seq,
      Op element,
      long indexBefore,
      int widthBefore,
      SlotState before,
      @Nullable Op op) {
    List<PathElement> path = OpSetReader.pathOf(opSet, seq, unit);
    if (path == null) {
      return;
    }
    SlotState after = SlotState.of(element);
    int index = (int) indexBefore;
    @Nullable Op winner = after.winner();
    if (op != null && op.action() == Action.INCREMENT) {
      if (incremented(winner, op)) {
        add(
            new Patch.Increment(
                seq.id, path, new PathElement.Index(index), Op.incrementOf(op.value)));
      }
      return;
    }
    if (before.winner() != null && winner == null) {
      // Deleting forward: each delete is at the index where the last one was.
      Open delete = extend(Kind.DELETE, seq.id, path, index);
      delete.width += widthBefore;
    } else if (before.winner() == null && winner != null) {
      showed(opSet, seq, path, index, winner, seq.tree.width(element, unit));
    } else if (winner != null
        && (before.winner() != winner || before.visible() != after.visible())) {
      add(
          new Patch.Put(
              seq.id,
              path,
              new PathElement.Index(index),
              OpSetReader.valueOf(opSet, winner),
              after.visible() > 1));
    }
  }

  /** A mark end was applied: report the span its pair covers. */
  void markChanged(OpSet opSet, SeqObj seq, Op markEnd) {
    if (!markEnd.isMarkEnd()) {
      return;
    }
    Op begin = seq.elements.get(markEnd.counter() - 1, markEnd.actor);
    @Nullable String name = begin == null ? null : begin.markName();
    if (begin == null || name == null || begin.action() != Action.MARK) {
      return;
    }
    List<PathElement> path = OpSetReader.pathOf(opSet, seq, unit);
    if (path == null) {
      return;
    }
    int start = (int) seq.tree.widthBefore(begin, unit);
    int end = (int) seq.tree.widthBefore(markEnd, unit);
    if (end > start) {
      add(new Patch.MarkSpans(seq.id, path, List.of(new Mark(name, begin.value, start, end))));
    }
  }

  /**
   * The open patch of {@code kind} on {@code obj} if it continues at {@code index} (at its end for
   * a splice or an insert, at its own index for a delete); otherwise closes it and opens a new one.
   */
  private Open extend(Kind kind, ObjId obj, List<PathElement> path, int index) {
    Open current = open;
    if (current != null && current.kind == kind && current.obj.equals(obj)) {
      int continuesAt = kind == Kind.DELETE ? current.index : current.index + current.width;
      if (continuesAt == index) {
        return current;
      }
    }
    close();
    open = new Open(kind, obj, path, index);
    return open;
  }

  private void close() {
    if (open != null) {
      patches.add(open.toPatch());
      open = null;
    }
  }

  private void add(Patch patch) {
    close();
    patches.add(patch);
  }
}
