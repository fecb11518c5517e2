package dev.converge.core.internal.dag;

import dev.converge.core.ChangeHash;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The causal walks over a {@link ChangeGraph}: what a set of heads has seen, what is new since some
 * heads, and the heads of a prefix. They read the graph only through its index accessors.
 */
final class GraphWalks {
  private GraphWalks() {}

  /** See {@link ChangeGraph#headsOfFirst}. */
  static List<ChangeHash> headsOfFirst(ChangeGraph graph, int count) {
    BitSet depended = new BitSet(count);
    for (int change = 0; change < count; change++) {
      for (int i = 0; i < graph.depCount(change); i++) {
        depended.set(graph.dep(change, i));
      }
    }
    TreeSet<ChangeHash> prefixHeads = new TreeSet<>();
    for (int change = depended.nextClearBit(0);
        change < count;
        change = depended.nextClearBit(change + 1)) {
      prefixHeads.add(graph.hash(change));
    }
    return List.copyOf(prefixHeads);
  }

  /**
   * See {@link ChangeGraph#closure}.
   *
   * @throws IllegalArgumentException if a hash is not in the graph
   */
  static BitSet closure(ChangeGraph graph, List<ChangeHash> from) {
    BitSet seen = new BitSet(graph.size());
    IntList stack = new IntList();
    for (ChangeHash hash : from) {
      int found = graph.indexOf(hash);
      if (found < 0) {
        throw new IllegalArgumentException("unknown change " + hash);
      }
      stack.add(found);
    }
    while (stack.size() > 0) {
      int change = stack.get(stack.size() - 1);
      stack.truncate(stack.size() - 1);
      if (seen.get(change)) {
        continue;
      }
      seen.set(change);
      for (int i = 0, n = graph.depCount(change); i < n; i++) {
        int dep = graph.dep(change, i);
        if (!seen.get(dep)) {
          stack.add(dep);
        }
      }
    }
    return seen;
  }

  /** See {@link ChangeGraph#indexesSince}. */
  static int[] indexesSince(ChangeGraph graph, List<ChangeHash> since) {
    BitSet old = new BitSet();
    BitSet queued = new BitSet();
    PriorityQueue<Integer> queue = new PriorityQueue<>(Collections.reverseOrder());
    int pendingNew = 0;
    for (ChangeHash hash : since) {
      int found = graph.indexOf(hash);
      if (found >= 0 && !queued.get(found)) {
        queued.set(found);
        old.set(found);
        queue.add(found);
      }
    }
    if (queue.isEmpty()) {
      int[] everything = new int[graph.size()]; // nothing known: every change, without a walk
      for (int i = 0; i < everything.length; i++) {
        everything[i] = i;
      }
      return everything;
    }
    for (ChangeHash head : graph.heads()) {
      int found = graph.indexOf(head);
      if (!queued.get(found)) {
        queued.set(found);
        queue.add(found);
        pendingNew++;
      }
    }
    IntList found = new IntList();
    while (pendingNew > 0) {
      int change = queue.remove();
      boolean isOld = old.get(change);
      if (!isOld) {
        pendingNew--;
        found.add(change);
      }
      for (int i = 0, n = graph.depCount(change); i < n; i++) {
        int dep = graph.dep(change, i);
        if (!queued.get(dep)) {
          queued.set(dep);
          queue.add(dep);
          if (isOld) {
            old.set(dep);
          } else {
            pendingNew++;
          }
        } else if (isOld && !old.get(dep)) {
          old.set(dep); // still queued: a descendant of since reaches it, so it is not new
          pendingNew--;
        }
      }
    }
    int[] result = new int[found.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = found.get(result.length - 1 - i);
    }
    return result;
  }
}
