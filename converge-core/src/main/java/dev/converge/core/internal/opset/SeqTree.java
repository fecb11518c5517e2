package dev.converge.core.internal.opset;

import java.util.Arrays;

/**
 * The elements of one list or text in document order: a B+ tree whose nodes carry the element count
 * and the visible width below them, so an element is found by visible index, and an element's index
 * is computed, in O(log n).
 *
 * <p>Every element knows its leaf and every node its parent, so a remote insert that names its
 * reference element by op ID reaches its position without a search from the root. The width of an
 * element is what a user counts: UTF-16 code units for a visible text character, 1 for a visible
 * list element, 0 for a deleted element or a mark anchor.
 *
 * <p>Not thread-safe; owned by one {@link SeqObj}.
 */
final class SeqTree {
  static final int LEAF_MAX = 64;
  static final int NODE_MAX = 32;

  private abstract static sealed class Node permits Leaf, Inner {
    Inner parent;
    int count;
    long width;
  }

  static final class Leaf extends Node {
    final Op[] items = new Op[LEAF_MAX];
    int size;
    Leaf next;
  }

  private static final class Inner extends Node {
    final Node[] children = new Node[NODE_MAX + 1];
    int size;
  }

  private Node root = new Leaf();

  int size() {
    return root.count;
  }

  long width() {
    return root.width;
  }

  /** The first element, or null when empty. */
  Op first() {
    Node node = root;
    while (node instanceof Inner inner) {
      node = inner.children[0];
    }
    Leaf leaf = (Leaf) node;
    return leaf.size == 0 ? null : leaf.items[0];
  }

  /** The element after {@code element} in document order, or null at the end. */
  Op next(Op element) {
    Leaf leaf = element.leaf;
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
    Leaf leaf = element.leaf;
    int position = indexInLeaf(leaf, element);
    Node child = leaf;
    for (Inner parent = leaf.parent; parent != null; child = parent, parent = parent.parent) {
      for (int i = 0; i < parent.size && parent.children[i] != child; i++) {
        position += parent.children[i].count;
      }
    }
    return position;
  }

  /** The visible width of all elements before {@code element}. */
  long widthBefore(Op element) {
    Leaf leaf = element.leaf;
    long width = 0;
    for (int i = 0; leaf.items[i] != element; i++) {
      width += leaf.items[i].width;
    }
    Node child = leaf;
    for (Inner parent = leaf.parent; parent != null; child = parent, parent = parent.parent) {
      for (int i = 0; i < parent.size && parent.children[i] != child; i++) {
        width += parent.children[i].width;
      }
    }
    return width;
  }

  /**
   * The visible element that covers width unit {@code index} (0-based), or null if {@code index} is
   * at or past the total width.
   */
  Op elementAtWidth(long index) {
    if (index < 0 || index >= root.width) {
      return null;
    }
    Node node = root;
    long remaining = index;
    while (node instanceof Inner inner) {
      int i = 0;
      while (remaining >= inner.children[i].width) {
        remaining -= inner.children[i].width;
        i++;
      }
      node = inner.children[i];
    }
    Leaf leaf = (Leaf) node;
    for (int i = 0; i < leaf.size; i++) {
      Op item = leaf.items[i];
      if (remaining < item.width) {
        return item;
      }
      remaining -= item.width;
    }
    throw new IllegalStateException("seq tree widths disagree with their leaves");
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

  /** Inserts {@code element} right after {@code reference}, or first when it is null. */
  void insertAfter(Op reference, Op element) {
    if (reference == null) {
      Node node = root;
      while (node instanceof Inner inner) {
        node = inner.children[0];
      }
      insertInLeaf((Leaf) node, 0, element);
    } else {
      Leaf leaf = reference.leaf;
      insertInLeaf(leaf, indexInLeaf(leaf, reference) + 1, element);
    }
  }

  /** Changes the width of {@code element} and of every node above it. */
  void setWidth(Op element, int width) {
    int delta = width - element.width;
    if (delta == 0) {
      return;
    }
    element.width = width;
    for (Node node = element.leaf; node != null; node = node.parent) {
      node.width += delta;
    }
  }

  /** Removes {@code element}; used only to roll back an insert of the current transaction. */
  void remove(Op element) {
    Leaf leaf = element.leaf;
    int index = indexInLeaf(leaf, element);
    System.arraycopy(leaf.items, index + 1, leaf.items, index, leaf.size - index - 1);
    leaf.size--;
    leaf.items[leaf.size] = null;
    for (Node node = leaf; node != null; node = node.parent) {
      node.count--;
      node.width -= element.width;
    }
    element.leaf = null;
  }

  private static int indexInLeaf(Leaf leaf, Op element) {
    Op[] items = leaf.items;
    for (int i = 0; i < leaf.size; i++) {
      if (items[i] == element) {
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
    for (Node node = leaf; node != null; node = node.parent) {
      node.count++;
      node.width += element.width;
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
    long movedWidth = 0;
    for (int i = 0; i < moved; i++) {
      right.items[i].leaf = right;
      movedWidth += right.items[i].width;
    }
    right.count = moved;
    right.width = movedWidth;
    leaf.count -= moved;
    leaf.width -= movedWidth;
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
      newRoot.count = left.count + right.count;
      newRoot.width = left.width + right.width;
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
    long width = 0;
    for (int i = 0; i < node.size; i++) {
      count += node.children[i].count;
      width += node.children[i].width;
    }
    node.count = count;
    node.width = width;
  }
}
