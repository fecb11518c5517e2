package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One stored op of the op set. Deletes are never stored: they live on as successors of the ops they
 * removed, as in Automerge's document format.
 *
 * <p>An insert op is also the sequence element it created: it carries the element's place in the
 * {@link SeqTree}, its visible widths, and the later ops aimed at it (overwrites and increments).
 *
 * <p>Kept compact on purpose, 48 bytes with compressed references: a text document holds one of
 * these per character ever typed. So the counter is held in 32 bits (the change codec refuses
 * larger ones, as Automerge does), the action and flags in a byte each, the map key and the
 * reference element share one field (an op has one or the other), and what few ops have (a mark's
 * name, successors past the first, increments, overwrites of an element) sits in an {@link Extras}
 * allocated only for them.
 */
final class Op {
  private static final byte INSERT = 1;
  private static final byte EXPAND = 2;

  private final int counterBits;
  final int actor;
  private final byte actionCode;
  private final byte flags;

  /** The element's visible width in every unit, as a {@link TextWidths} code; set by its tree. */
  byte widthCode;

  /**
   * Where the element last was in its leaf: a hint its tree checks before scanning the leaf, and
   * corrects when it is stale. It takes the byte the layout leaves free.
   */
  byte leafSlot;

  final ScalarValue value;

  /**
   * The map key (a String) for a map op; for a sequence op, the element (an Op) it goes after if an
   * insert (null = HEAD), or its target otherwise.
   */
  private final @Nullable Object keyOrElem;

  /**
   * The packed ID of the first non-increment op that overwrote or deleted this one, 0 when none (a
   * packed ID is never 0: counters start at 1). Most ops have none or one successor, so the first
   * is held here and only further ones in the extras.
   */
  private long firstSucc;

  /** The leaf of the sequence tree holding this element; set by the tree. */
  SeqTree.@Nullable Leaf leaf;

  private @Nullable Extras extras;

  /** What few ops have; one object shared by all of it, null when an op has none. */
  private static final class Extras {
    @Nullable String markName;

    /** Successors after the first, exactly sized; null when there are none. */
    long @Nullable [] moreSucc;

    /** Increments applied to this counter op, in op ID order; null when none. */
    @Nullable ArrayList<Op> incs;

    /** Non-insert ops aimed at this element (overwrites, increments), in op ID order. */
    @Nullable ArrayList<Op> others;
  }

  Op(
      long counter,
      int actor,
      Action action,
      boolean insert,
      ScalarValue value,
      @Nullable String key,
      @Nullable Op elem,
      @Nullable String markName,
      boolean expand) {
    if (counter < 1 || counter > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("op counter " + counter + " outside 1..2^32-1");
    }
    this.counterBits = (int) counter;
    this.actor = actor;
    this.actionCode = (byte) action.code();
    this.flags = (byte) ((insert ? INSERT : 0) | (expand ? EXPAND : 0));
    this.value = value;
    this.keyOrElem = key != null ? key : elem;
    if (markName != null) {
      extras().markName = markName;
    }
  }

  private Extras extras() {
    if (extras == null) {
      extras = new Extras();
    }
    return extras;
  }

  long counter() {
    return Integer.toUnsignedLong(counterBits);
  }

  Action action() {
    return Action.fromCode(actionCode);
  }

  /**
   * The string this op shows in a text, or null when it shows U+FFFC there. As in JavaScript, only
   * a set of a string shows its string: an object made with a string value (only a file no
   * Automerge wrote holds one) is an object.
   */
  @Nullable String shownString() {
    return value instanceof ScalarValue.Str str && action() == Action.SET ? str.value() : null;
  }

  boolean insert() {
    return (flags & INSERT) != 0;
  }

  boolean expand() {
    return (flags & EXPAND) != 0;
  }

  /** The map key, or null for sequence ops. */
  @Nullable String key() {
    return keyOrElem instanceof String key ? key : null;
  }

  /** For an insert, the element it goes after (null = HEAD); for other sequence ops, the target. */
  @Nullable Op elem() {
    return keyOrElem instanceof Op elem ? elem : null;
  }

  @Nullable String markName() {
    return extras == null ? null : extras.markName;
  }

  /** Increments applied to this counter op, in op ID order; null when none. */
  @Nullable List<Op> incs() {
    return extras == null ? null : extras.incs;
  }

  /** The list of increments, made empty first if there is none yet. */
  List<Op> incsForAdding() {
    Extras more = extras();
    if (more.incs == null) {
      more.incs = new ArrayList<>(1);
    }
    return more.incs;
  }

  /** Non-insert ops aimed at this element (overwrites, increments), in op ID order; or null. */
  @Nullable List<Op> others() {
    return extras == null ? null : extras.others;
  }

  /** Gives the element an empty list of later ops; see {@link #others()}. */
  List<Op> startOthers() {
    Extras more = extras();
    more.others = new ArrayList<>(1);
    return more.others;
  }

  /** Takes back {@link #startOthers()}. */
  void dropOthers() {
    if (extras != null) {
      extras.others = null;
    }
  }

  long packedId() {
    return pack(counter(), actor);
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
    Action action = action();
    return action != Action.INCREMENT && action != Action.DELETE && action != Action.MARK;
  }

  boolean isVisible() {
    return firstSucc == 0 && isValueOp();
  }

  boolean isMarkBegin() {
    return action() == Action.MARK && markName() != null;
  }

  boolean isMarkEnd() {
    return action() == Action.MARK && markName() == null;
  }

  void addSucc(long packed) {
    if (firstSucc == 0) {
      firstSucc = packed;
      return;
    }
    Extras more = extras();
    if (more.moreSucc == null) {
      more.moreSucc = new long[] {packed};
    } else {
      long[] grown = java.util.Arrays.copyOf(more.moreSucc, more.moreSucc.length + 1);
      grown[more.moreSucc.length] = packed;
      more.moreSucc = grown;
    }
  }

  void removeSucc(long packed) {
    Extras held = extras;
    long @Nullable [] more = held == null ? null : held.moreSucc;
    int count = succCount();
    for (int i = count - 1; i >= 0; i--) {
      if (succAt(i) == packed) {
        if (i == 0) {
          firstSucc = more == null ? 0 : more[0];
          i = 1; // the first is replaced by the second, which is removed from the rest below
          if (more == null) {
            return;
          }
        }
        int inMore = i - 1;
        if (held == null || more == null) {
          throw new IllegalStateException("successor " + i + " of " + count + " is not held");
        }
        if (more.length == 1) {
          held.moreSucc = null;
        } else {
          long[] shrunk = new long[more.length - 1];
          System.arraycopy(more, 0, shrunk, 0, inMore);
          System.arraycopy(more, inMore + 1, shrunk, inMore, more.length - inMore - 1);
          held.moreSucc = shrunk;
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
    long[] more = extras == null ? null : extras.moreSucc;
    return more == null ? 1 : 1 + more.length;
  }

  /** The packed ID of successor {@code index}, in the order they were added. */
  long succAt(int index) {
    if (index == 0) {
      return firstSucc;
    }
    long @Nullable [] more = extras == null ? null : extras.moreSucc;
    if (more == null) {
      throw new IndexOutOfBoundsException("successor " + index + " of 1");
    }
    return more[index - 1];
  }

  /** The counter's current value: its initial value plus every increment. */
  long counterValue() {
    long total = ((ScalarValue.Counter) value).value();
    List<Op> incs = incs();
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
    return counter() + "@" + actor + " " + action() + (insert() ? " insert " : " ") + value;
  }
}
