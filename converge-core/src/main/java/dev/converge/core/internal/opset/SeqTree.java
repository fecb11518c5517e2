package dev.converge.core.internal.opset;

import dev.converge.core.TextUnit;
import java.util.Arrays;
import java.util.IdentityHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The elements of one list or text in document order: a B+ tree whose nodes carry the element count
 * and the visible width below them in every {@link TextUnit}, so an element is found by visible
 * index, and an element's index is computed, in O(log n) whichever unit counts.
 *
 * <p>Every element knows its leaf and every node its parent, so a remote insert that names its
 * reference element by op ID reaches its position without a search from the root. The width of an
 * element is what a user counts: the length of a visible text character in the unit, 1 for a
 * visible list element, 0 for a deleted element or a mark anchor. An element holds its widths as a
 * one-byte {@link TextWidths} code; the rare element whose code is {@link TextWidths#OTHER} has its
 * three widths in {@link #otherWidths}.
 *
 * <p>Not thread-safe; owned by one {@link SeqObj}.
 */
final class SeqTree {
  static final int LEAF_MAX = 64;
  static final int NODE_MAX = 32;
  private static final int UNITS = TextWidths.UNITS;

  private abstract static sealed class Node permits Leaf, Inner {
    @Nullable Inner parent;
    int count;
    final long[] widths = new long[UNITS];
  }

  static final class Leaf extends Node {
    final Op[] items = new Op[LEAF_MAX];
    int size;
    @Nullable Leaf next;
  }

  private static final class Inner extends Node {
    final Node[] children = new Node[NODE_MAX + 1];
    int size;
  }

  private final boolean text;
  private Node root = new Leaf();

  /** The widths of the elements whose code is {@link TextWidths#OTHER}; null until the first. */
  private @Nullable IdentityHashMap<Op, int[]> otherWidths;

  /**
   * Where in its element the index given to the last {@link #elementAtWidth} call fell: 0 at the
   * element's first unit. Set by that call so that a caller checking for a split character pays no
   * second descent.
   */
  private int offsetInElement;

  /** The width changes of one {@link #setShown}, kept to spare an array per delete. */
  private final long[] scratchDelta = new long[UNITS];

  /** A tree for a text ({@code text}) or a list, whose elements all count 1. */
  SeqTree(boolean text) {
    this.text = text;
  }

  int size() {
    return root.count;
  }

  /** The visible width of the whole sequence in {@code unit}. */
  long width(TextUnit unit) {
    return root.widths[TextWidths.index(unit)];
  }

  /** The visible width of {@code element} in {@code unit}. */
  int width(Op element, TextUnit unit) {
    return width(element, TextWidths.index(unit));
  }

  private int width(Op element, int unit) {
    byte code = element.widthCode;
    return code == TextWidths.OTHER ? otherWidths(element)[unit] : TextWidths.width(code, unit);
  }

  /** The widths of an element whose code is {@link TextWidths#OTHER}, which setShown recorded. */
  private int[] otherWidths(Op element) {
    int @Nullable [] widths = otherWidths == null ? null : otherWidths.get(element);
    if (widths == null) {
      throw new IllegalStateException("no widths recorded for an element of other width");
    }
    return widths;
  }

  /** The leaf holding {@code element}, which must be in this tree. */
  private static Leaf leafOf(Op element) {
    Leaf leaf = element.leaf;
    if (leaf == null) {
      throw new IllegalStateException("element is in no sequence tree");
    }
    return leaf;
  }

  /** The first element, or null when empty. */
  @Nullable Op first() {
    Node node = root;
    while (node instanceof Inner inner) {
      node = inner.children[0];
    }
    Leaf leaf = (Leaf) node;
    return leaf.size == 0 ? null : leaf.items[0];
  }

  /** The element after {@code element} in document order, or null at the end. */
  @Nullable Op next(Op element) {
    Leaf leaf = leafOf(element);
    int index = indexInLeaf(leaf, element);
    if (index + 1 < leaf.size) {
      return leaf.items[index + 1];
    }
    Leaf following = leaf.next;
    while (following != null && following.size == 0) {
      following = following.next;
    }
    return following == null ? null : following.items[0];
  }

  /** The number of elements before {@code element}. */
  int positionOf(Op element) {
    Leaf leaf = leafOf(element);
    int position = indexInLeaf(leaf, element);
    Node child = leaf;
    for (Inner parent = leaf.parent; parent != null; child = parent, parent = parent.parent) {
      for (int i = 0; i < parent.size && parent.children[i] != child; i++) {
        position += parent.children[i].count;
      }
    }
    return position;
  }

  /** The visible width in {@code unit} of all elements before {@code element}. */
  long widthBefore(Op element, TextUnit unit) {
    int u = TextWidths.index(unit);
    Leaf leaf = leafOf(element);
    long width = 0;
    for (int i = 0; leaf.items[i] != element; i++) {
      width += width(leaf.items[i], u);
    }
    Node child = leaf;
    for (Inner parent = leaf.parent; parent != null; child = parent, parent = parent.parent) {
      for (int i = 0; i < parent.size && parent.children[i] != child; i++) {
        width += parent.children[i].widths[u];
      }
    }
    return width;
  }

  /**
   * The visible element that covers unit {@code index} (0-based) counted in {@code unit}, or null
   * if {@code index} is negative or at or past the total width. Afterwards {@link
   * #offsetInElement()} tells where in that element the index fell.
   */
  @Nullable Op elementAtWidth(long index, TextUnit unit) {
    int u = TextWidths.index(unit);
    if (index < 0 || index >= root.widths[u]) {
      return null;
    }
    Node node = root;
    long remaining = index;
    while (node instanceof Inner inner) {
      int i = 0;
      while (remaining >= inner.children[i].widths[u]) {
        remaining -= inner.children[i].widths[u];
        i++;
      }
      node = inner.children[i];
    }
    Leaf leaf = (Leaf) node;
    for (int i = 0; i < leaf.size; i++) {
      Op item = leaf.items[i];
      int width = width(item, u);
      if (remaining < width) {
        offsetInElement = (int) remaining;
        return item;
      }
      remaining -= width;
    }
    throw new IllegalStateException("seq tree widths disagree with their leaves");
  }

  /** Where the index of the last {@link #elementAtWidth} call fell in the element it returned. */
  int offsetInElement() {
    return offsetInElement;
  }

  /** The element at {@code position} counting every element, visible or not. */
  Op elementAt(int position) {
    if (position < 0 || position >= root.count) {
      throw new IndexOutOfBoundsException("position " + position + " of " + root.count);
    }
    Node node = root;
    int remaining = position;
    while (node instanceof Inner inner) {
      int i = 0;
      while (remaining >= inner.children[i].count) {
        remaining -= inner.children[i].count;
        i++;
      }
      node = inner.children[i];
    }
    return ((Leaf) node).items[remaining];
  }

  /**
   * Inserts {@code element} right after {@code reference}, or first when it is null, showing {@code
   * shown} (null: invisible).
   */
  void insertAfter(@Nullable Op reference, Op element, @Nullable Op shown) {
    setCode(element, shown);
    if (reference == null) {
      Node node = root;
      while (node instanceof Inner inner) {
        node = inner.children[0];
      }
      insertInLeaf((Leaf) node, 0, element);
    } else {
      Leaf leaf = leafOf(reference);
      insertInLeaf(leaf, indexInLeaf(leaf, reference) + 1, element);
    }
  }

  /**
   * Makes {@code element} show the value of {@code shown} (null: nothing), changing its widths and
   * those of every node above it.
   */
  void setShown(Op element, @Nullable Op shown) {
    long[] delta = scratchDelta;
    for (int u = 0; u < UNITS; u++) {
      delta[u] = -width(element, u);
    }
    if (element.widthCode == TextWidths.OTHER) {
      if (otherWidths != null) {
        otherWidths.remove(element);
      }
    }
    setCode(element, shown);
    boolean changed = false;
    for (int u = 0; u < UNITS; u++) {
      delta[u] += width(element, u);
      changed |= delta[u] != 0;
    }
    if (!changed) {
      return;
    }
    for (Node node = element.leaf; node != null; node = node.parent) {
      for (int u = 0; u < UNITS; u++) {
        node.widths[u] += delta[u];
      }
    }
  }

  private void setCode(Op element, @Nullable Op shown) {
    byte code = TextWidths.codeOf(shown, text);
    element.widthCode = code;
    // Only a shown string is OTHER.
    if (code == TextWidths.OTHER && shown != null) {
      if (otherWidths == null) {
        otherWidths = new IdentityHashMap<>();
      }
      otherWidths.put(element, TextWidths.otherWidths(shown));
    }
  }

  /** Removes {@code element}; used only to roll back an insert of the current transaction. */
  void remove(Op element) {
    Leaf leaf = leafOf(element);
    int index = indexInLeaf(leaf, element);
    System.arraycopy(leaf.items, index + 1, leaf.items, index, leaf.size - index - 1);
    leaf.size--;
    leaf.items[leaf.size] = null;
    for (Node node = leaf; node != null; node = node.parent) {
      node.count--;
      for (int u = 0; u < UNITS; u++) {
        node.widths[u] -= width(element, u);
      }
    }
    if (element.widthCode == TextWidths.OTHER) {
      if (otherWidths != null) {
        otherWidths.remove(element);
      }
    }
    element.widthCode = TextWidths.NONE;
    element.leaf = null;
  }

  private static int indexInLeaf(Leaf leaf, Op element) {
    Op[] items = leaf.items;
    int hint = element.leafSlot;
    if (hint < leaf.size && items[hint] == element) {
      return hint;
    }
    for (int i = 0; i < leaf.size; i++) {
      if (items[i] == element) {
        element.leafSlot = (byte) i;
        return i;
      }
    }
    throw new IllegalStateException("element " + element + " is not in its leaf");
  }

  private void insertInLeaf(Leaf leaf, int index, Op element) {
    if (leaf.size == LEAF_MAX) {
      Leaf right = splitLeaf(leaf);
      if (index > leaf.size) {
        index -= leaf.size;
        leaf = right;
      }
    }
    System.arraycopy(leaf.items, index, leaf.items, index + 1, leaf.size - index);
    leaf.items[index] = element;
    leaf.size++;
    element.leaf = leaf;
    element.leafSlot = (byte) index;
    for (Node node = leaf; node != null; node = node.parent) {
      node.count++;
      for (int u = 0; u < UNITS; u++) {
        node.widths[u] += width(element, u);
      }
    }
  }

  private Leaf splitLeaf(Leaf leaf) {
    Leaf right = new Leaf();
    int half = leaf.size / 2;
    int moved = leaf.size - half;
    System.arraycopy(leaf.items, half, right.items, 0, moved);
    Arrays.fill(leaf.items, half, leaf.size, null);
    right.size = moved;
    leaf.size = half;
    for (int i = 0; i < moved; i++) {
      Op item = right.items[i];
      item.leaf = right;
      for (int u = 0; u < UNITS; u++) {
        right.widths[u] += width(item, u);
      }
    }
    right.count = moved;
    leaf.count -= moved;
    for (int u = 0; u < UNITS; u++) {
      leaf.widths[u] -= right.widths[u];
    }
    right.next = leaf.next;
    leaf.next = right;
    addSibling(leaf, right);
    return right;
  }

  /**
   * Attaches {@code right}, just split off {@code left}, beside it in the parent, splitting the
   * parent when it overflows. Every node's totals stay exact: the subtree under the parent holds
   * the same elements before and after, and a split recounts both halves from their children.
   */
  private void addSibling(Node left, Node right) {
    Inner parent = left.parent;
    if (parent == null) {
      Inner newRoot = new Inner();
      newRoot.children[0] = left;
      newRoot.children[1] = right;
      newRoot.size = 2;
      recount(newRoot);
      left.parent = newRoot;
      right.parent = newRoot;
      root = newRoot;
      return;
    }
    int index = 0;
    while (parent.children[index] != left) {
      index++;
    }
    System.arraycopy(
        parent.children, index + 1, parent.children, index + 2, parent.size - index - 1);
    parent.children[index + 1] = right;
    parent.size++;
    right.parent = parent;
    if (parent.size > NODE_MAX) {
      splitInner(parent);
    }
  }

  private void splitInner(Inner node) {
    Inner right = new Inner();
    int half = node.size / 2;
    int moved = node.size - half;
    System.arraycopy(node.children, half, right.children, 0, moved);
    Arrays.fill(node.children, half, node.size, null);
    right.size = moved;
    node.size = half;
    recount(node);
    recount(right);
    for (int i = 0; i < moved; i++) {
      right.children[i].parent = right;
    }
    addSibling(node, right);
  }

  private static void recount(Inner node) {
    int count = 0;
    Arrays.fill(node.widths, 0);
    for (int i = 0; i < node.size; i++) {
      Node child = node.children[i];
      count += child.count;
      for (int u = 0; u < UNITS; u++) {
        node.widths[u] += child.widths[u];
      }
    }
    node.count = count;
  }
}
