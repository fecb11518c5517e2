package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;

/**
 * One stored op of the op set. Deletes are never stored: they live on as successors of the ops they
 * removed, as in Automerge's document format.
 *
 * <p>An insert op is also the sequence element it created: it carries the element's place in the
 * {@link SeqTree}, its visible widths, and the later ops aimed at it (overwrites and increments).
 * Kept compact on purpose: a text document holds one of these per character ever typed.
 */
final class Op {
  final long counter;
  final int actor;
  final Action action;
  final boolean insert;
  final ScalarValue value;

  /** The map key, or null for sequence ops. */
  final String key;

  /** For an insert, the element it goes after (null = HEAD); for other sequence ops, the target. */
  final Op elem;

  final String markName;
  final boolean expand;

  /**
   * The packed ID of the first non-increment op that overwrote or deleted this one, 0 when none (a
   * packed ID is never 0: counters start at 1). Most ops have none or one successor, so the first
   * is held here and only further ones in {@link #moreSucc}, instead of an array per deleted
   * character.
   */
  private long firstSucc;

  /** Successors after the first, exactly sized; null when there are none. */
  private long[] moreSucc;

  /** Increments applied to this counter op, in op ID order; null when none. */
  ArrayList<Op> incs;

  // Element fields, used when insert is true.
  SeqTree.Leaf leaf;

  /** The element's visible width in every unit, as a {@link TextWidths} code; set by its tree. */
  byte widthCode;

  /** Non-insert ops aimed at this element (overwrites, increments), in op ID order. */
  ArrayList<Op> others;

  Op(
      long counter,
      int actor,
      Action action,
      boolean insert,
      ScalarValue value,
      String key,
      Op elem,
      String markName,
      boolean expand) {
    this.counter = counter;
    this.actor = actor;
    this.action = action;
    this.insert = insert;
    this.value = value;
    this.key = key;
    this.elem = elem;
    this.markName = markName;
    this.expand = expand;
  }

  long packedId() {
    return pack(counter, actor);
  }

  static long pack(long counter, int actor) {
    return (counter << 24) | actor;
  }

  static long counterOf(long packed) {
    return packed >>> 24;
  }

  static int actorOf(long packed) {
    return (int) (packed & 0xFFFFFF);
  }

  /** True for ops that carry a value a reader sees: not increments, deletes or mark anchors. */
  boolean isValueOp() {
    return action != Action.INCREMENT && action != Action.DELETE && action != Action.MARK;
  }

  boolean isVisible() {
    return firstSucc == 0 && isValueOp();
  }

  boolean isMarkBegin() {
    return action == Action.MARK && markName != null;
  }

  boolean isMarkEnd() {
    return action == Action.MARK && markName == null;
  }

  void addSucc(long packed) {
    if (firstSucc == 0) {
      firstSucc = packed;
    } else if (moreSucc == null) {
      moreSucc = new long[] {packed};
    } else {
      long[] grown = java.util.Arrays.copyOf(moreSucc, moreSucc.length + 1);
      grown[moreSucc.length] = packed;
      moreSucc = grown;
    }
  }

  void removeSucc(long packed) {
    int count = succCount();
    for (int i = count - 1; i >= 0; i--) {
      if (succAt(i) == packed) {
        if (i == 0) {
          firstSucc = moreSucc == null ? 0 : moreSucc[0];
          i = 1; // the first is replaced by the second, which is removed from the rest below
          if (moreSucc == null) {
            return;
          }
        }
        int inMore = i - 1;
        if (moreSucc.length == 1) {
          moreSucc = null;
        } else {
          long[] shrunk = new long[moreSucc.length - 1];
          System.arraycopy(moreSucc, 0, shrunk, 0, inMore);
          System.arraycopy(moreSucc, inMore + 1, shrunk, inMore, moreSucc.length - inMore - 1);
          moreSucc = shrunk;
        }
        return;
      }
    }
    throw new IllegalStateException("successor to remove is missing");
  }

  int succCount() {
    if (firstSucc == 0) {
      return 0;
    }
    return moreSucc == null ? 1 : 1 + moreSucc.length;
  }

  /** The packed ID of successor {@code index}, in the order they were added. */
  long succAt(int index) {
    return index == 0 ? firstSucc : moreSucc[index - 1];
  }

  /** The counter's current value: its initial value plus every increment. */
  long counterValue() {
    long total = ((ScalarValue.Counter) value).value();
    if (incs != null) {
      for (Op inc : incs) {
        total += incrementOf(inc.value);
      }
    }
    return total;
  }

  static long incrementOf(ScalarValue value) {
    if (value instanceof ScalarValue.Int i) {
      return i.value();
    }
    if (value instanceof ScalarValue.Uint u) {
      return u.value();
    }
    if (value instanceof ScalarValue.Counter c) {
      return c.value();
    }
    throw new IllegalStateException("increment by a non-integer " + value);
  }

  @Override
  public String toString() {
    return counter + "@" + actor + " " + action + (insert ? " insert " : " ") + value;
  }
}
