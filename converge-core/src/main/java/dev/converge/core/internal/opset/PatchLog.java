package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.Mark;
import dev.converge.core.ObjType;
import dev.converge.core.Patch;
import dev.converge.core.PathElement;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the visible effects of ops as they are applied, merging neighbours (typed characters
 * into one splice, consecutive deletes into one) so a listener gets few, exact patches.
 */
public final class PatchLog {
  private final ArrayList<Patch> patches = new ArrayList<>();

  /** The patches collected so far, and empties the log. */
  public List<Patch> drain() {
    List<Patch> result = List.copyOf(patches);
    patches.clear();
    return result;
  }

  public boolean isEmpty() {
    return patches.isEmpty();
  }

  void mapChanged(OpSet opSet, MapObj map, String key, SlotState before, SlotState after, Op op) {
    List<PathElement> path = OpSetReader.pathOf(opSet, map);
    if (path == null) {
      return;
    }
    PathElement at = new PathElement.Key(key);
    if (op != null && op.action == Action.INCREMENT) {
      if (after.winner() != null
          && after.winner().incs != null
          && after.winner().incs.contains(op)) {
        add(new Patch.Increment(map.id, path, at, Op.incrementOf(op.value)));
      }
      return;
    }
    if (after.winner() == null) {
      if (before.winner() != null) {
        add(new Patch.DeleteKey(map.id, path, key));
      }
    } else if (before.winner() != after.winner() || before.visible() != after.visible()) {
      add(
          new Patch.Put(
              map.id, path, at, OpSetReader.valueOf(opSet, after.winner()), after.visible() > 1));
    }
  }

  void inserted(OpSet opSet, SeqObj seq, Op element) {
    List<PathElement> path = OpSetReader.pathOf(opSet, seq);
    if (path == null) {
      return;
    }
    int index = (int) seq.tree.widthBefore(element);
    if (seq.type == ObjType.TEXT && element.value instanceof ScalarValue.Str str) {
      addSplice(seq, path, index, str.value());
    } else {
      addInsert(seq, path, index, OpSetReader.valueOf(opSet, element));
    }
  }

  void elementChanged(
      OpSet opSet,
      SeqObj seq,
      Op element,
      long indexBefore,
      int widthBefore,
      SlotState before,
      Op op) {
    List<PathElement> path = OpSetReader.pathOf(opSet, seq);
    if (path == null) {
      return;
    }
    SlotState after = SlotState.of(element);
    int index = (int) indexBefore;
    if (op != null && op.action == Action.INCREMENT) {
      if (after.winner() != null
          && after.winner().incs != null
          && after.winner().incs.contains(op)) {
        add(
            new Patch.Increment(
                seq.id, path, new PathElement.Index(index), Op.incrementOf(op.value)));
      }
      return;
    }
    if (before.winner() != null && after.winner() == null) {
      addDelete(seq, path, index, widthBefore);
    } else if (before.winner() == null && after.winner() != null) {
      Op winner = after.winner();
      if (seq.type == ObjType.TEXT && winner.value instanceof ScalarValue.Str str) {
        addSplice(seq, path, index, str.value());
      } else {
        addInsert(seq, path, index, OpSetReader.valueOf(opSet, winner));
      }
    } else if (after.winner() != null
        && (before.winner() != after.winner() || before.visible() != after.visible())) {
      add(
          new Patch.Put(
              seq.id,
              path,
              new PathElement.Index(index),
              OpSetReader.valueOf(opSet, after.winner()),
              after.visible() > 1));
    }
  }

  /** A mark end was applied: report the span its pair covers. */
  void markChanged(OpSet opSet, SeqObj seq, Op markEnd) {
    if (!markEnd.isMarkEnd()) {
      return;
    }
    Op begin = seq.elements.get(Op.pack(markEnd.counter - 1, markEnd.actor));
    if (begin == null || !begin.isMarkBegin()) {
      return;
    }
    List<PathElement> path = OpSetReader.pathOf(opSet, seq);
    if (path == null) {
      return;
    }
    int start = (int) seq.tree.widthBefore(begin);
    int end = (int) seq.tree.widthBefore(markEnd);
    if (end > start) {
      add(
          new Patch.MarkSpans(
              seq.id, path, List.of(new Mark(begin.markName, begin.value, start, end))));
    }
  }

  private void addSplice(SeqObj seq, List<PathElement> path, int index, String text) {
    if (!patches.isEmpty()
        && patches.get(patches.size() - 1) instanceof Patch.SpliceText last
        && last.obj().equals(seq.id)
        && last.index() + last.text().length() == index) {
      patches.set(
          patches.size() - 1, new Patch.SpliceText(seq.id, path, last.index(), last.text() + text));
      return;
    }
    add(new Patch.SpliceText(seq.id, path, index, text));
  }

  private void addInsert(SeqObj seq, List<PathElement> path, int index, Value value) {
    if (!patches.isEmpty()
        && patches.get(patches.size() - 1) instanceof Patch.Insert last
        && last.obj().equals(seq.id)
        && last.index() + last.values().size() == index) {
      List<Value> values = new ArrayList<>(last.values());
      values.add(value);
      patches.set(patches.size() - 1, new Patch.Insert(seq.id, path, last.index(), values));
      return;
    }
    add(new Patch.Insert(seq.id, path, index, List.of(value)));
  }

  private void addDelete(SeqObj seq, List<PathElement> path, int index, int length) {
    if (!patches.isEmpty()
        && patches.get(patches.size() - 1) instanceof Patch.Delete last
        && last.obj().equals(seq.id)
        && last.index() == index) {
      patches.set(
          patches.size() - 1, new Patch.Delete(seq.id, path, index, last.length() + length));
      return;
    }
    add(new Patch.Delete(seq.id, path, index, length));
  }

  private void add(Patch patch) {
    patches.add(patch);
  }
}
