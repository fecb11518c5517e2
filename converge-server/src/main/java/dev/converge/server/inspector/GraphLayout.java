package dev.converge.server.inspector;

import java.util.Arrays;

/**
 * Columns ("lanes") for drawing a document's causal graph, one row per change in the order the
 * changes were applied (a topological order), as {@code git log --graph} does.
 *
 * <p>A lane holds the tip of one line of work. A change continues the leftmost lane whose tip it
 * depends on; the other lanes whose tips it depends on end there (a merge). A change that depends
 * on no lane's tip (the first change, or a second child of one change: concurrent work) takes the
 * leftmost free lane. So concurrent branches sit side by side and a merge is a row where lines
 * join.
 *
 * <p>Invariant: the lanes in use hold exactly the heads of the changes laid out so far, one each (a
 * tip stops being one only when a later change depends on it, and that change takes or frees its
 * lane). So the layout is as wide as the most heads the history ever had at once.
 *
 * <p>The layout grows with the history: {@link #append} lays out the next change from the state the
 * previous ones left, so a page of a 260,000-change graph reads lanes already computed instead of
 * laying out the whole history again.
 *
 * <p>Thread-safety: not thread-safe; {@link HistoryIndex} guards it.
 */
final class GraphLayout {
  private int[] laneOf = new int[16];
  private int size;
  // tips[lane] is the index of the change at the tip of that lane, or -1 when the lane is free.
  private int[] tips = new int[4];
  private int laneCount;

  GraphLayout() {
    Arrays.fill(tips, -1);
  }

  /** How many changes are laid out. */
  int size() {
    return size;
  }

  /** The lane of the change at {@code index}. */
  int lane(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("change " + index + " of " + size);
    }
    return laneOf[index];
  }

  /** How many lanes the layout has used so far (the widest row plus one). */
  int laneCount() {
    return laneCount;
  }

  /**
   * Lays out the next change, whose direct dependencies are the changes at {@code deps} (each below
   * {@link #size()}), and returns its lane.
   */
  int append(int[] deps) {
    for (int dep : deps) {
      if (dep < 0 || dep >= size) {
        throw new IllegalArgumentException("dependency " + dep + " is not before change " + size);
      }
    }
    int lane = -1;
    for (int dep : deps) {
      int depLane = laneOf[dep];
      if (tips[depLane] == dep) {
        if (lane < 0 || depLane < lane) {
          if (lane >= 0) {
            tips[lane] = -1;
          }
          lane = depLane;
        } else {
          tips[depLane] = -1;
        }
      }
    }
    if (lane < 0) {
      lane = freeLane();
    }
    tips[lane] = size;
    if (size == laneOf.length) {
      laneOf = Arrays.copyOf(laneOf, size * 2);
    }
    laneOf[size++] = lane;
    laneCount = Math.max(laneCount, lane + 1);
    return lane;
  }

  private int freeLane() {
    for (int lane = 0; lane < tips.length; lane++) {
      if (tips[lane] < 0) {
        return lane;
      }
    }
    int lane = tips.length;
    tips = Arrays.copyOf(tips, tips.length * 2);
    Arrays.fill(tips, lane, tips.length, -1);
    return lane;
  }
}
