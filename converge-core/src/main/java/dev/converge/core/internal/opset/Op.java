package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;

/**
 * One stored op of the op set. Deletes are never stored: they live on as entries in the {@link
 * #succ} of the ops they removed, as in Automerge's document format.
 *
 * <p>An insert op is also the sequence element it created: it carries the element's place in the
 * {@link SeqTree}, its visible width, and the later ops aimed at it (overwrites and increments).
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
   * Packed IDs of the non-increment ops that overwrote or deleted this one, exactly sized; null
   * when none. Most ops have none or one, so no separate count is kept.
   */
  long[] succ;

  /** Increments applied to this counter op, in op ID order; null when none. */
  ArrayList<Op> incs;

  // Element fields, used when insert is true.
  SeqTree.Leaf leaf;
  int width;

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
    return succ == null && isValueOp();
  }

  boolean isMarkBegin() {
    return action == Action.MARK && markName != null;
  }

  boolean isMarkEnd() {
    return action == Action.MARK && markName == null;
  }

  void addSucc(long packed) {
    if (succ == null) {
      succ = new long[] {packed};
    } else {
      long[] grown = java.util.Arrays.copyOf(succ, succ.length + 1);
      grown[succ.length] = packed;
      succ = grown;
    }
  }

  void removeSucc(long packed) {
    for (int i = succ.length - 1; i >= 0; i--) {
      if (succ[i] == packed) {
        if (succ.length == 1) {
          succ = null;
        } else {
          long[] shrunk = new long[succ.length - 1];
          System.arraycopy(succ, 0, shrunk, 0, i);
          System.arraycopy(succ, i + 1, shrunk, i, succ.length - i - 1);
          succ = shrunk;
        }
        return;
      }
    }
    throw new IllegalStateException("successor to remove is missing");
  }

  int succCount() {
    return succ == null ? 0 : succ.length;
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
