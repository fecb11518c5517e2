package dev.converge.core.model;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random causally valid delivery orders of a set of changes: a change comes only after every change
 * it depends on, and any change already delivered may come again.
 */
final class CausalOrders {
  private CausalOrders() {}

  /**
   * The changes in a random causal order, with about one in five delivered a second time at a
   * random later point.
   */
  static List<Change> changes(List<Change> changes, Random random) {
    List<Change> order = new ArrayList<>();
    Set<ChangeHash> delivered = new HashSet<>();
    List<Change> pending = new ArrayList<>(changes);
    while (!pending.isEmpty()) {
      List<Change> ready = new ArrayList<>();
      for (Change change : pending) {
        if (delivered.containsAll(change.deps())) {
          ready.add(change);
        }
      }
      if (ready.isEmpty()) {
        throw new IllegalArgumentException("changes with dependencies outside the set: " + pending);
      }
      Change next = ready.get(random.nextInt(ready.size()));
      pending.remove(next);
      delivered.add(next.hash());
      order.add(next);
      if (random.nextInt(5) == 0) {
        order.add(order.get(random.nextInt(order.size())));
      }
    }
    return order;
  }

  /**
   * The ops of the changes in a random causal order: the ops of one change in their order, a
   * change's first op only after every op of the changes it depends on, and the ops of concurrent
   * changes interleaved at random. About one op in ten is delivered again later.
   */
  static List<OpSetModel.Op> ops(List<Change> changes, Random random) {
    List<List<OpSetModel.Op>> opsByChange = new ArrayList<>();
    for (Change change : changes) {
      opsByChange.add(EngineOps.of(change));
    }
    int[] next = new int[changes.size()];
    Set<ChangeHash> complete = new HashSet<>();
    List<OpSetModel.Op> order = new ArrayList<>();
    while (complete.size() < changes.size()) {
      List<Integer> ready = new ArrayList<>();
      for (int i = 0; i < changes.size(); i++) {
        Change change = changes.get(i);
        if (!complete.contains(change.hash()) && complete.containsAll(change.deps())) {
          ready.add(i);
        }
      }
      if (ready.isEmpty()) {
        throw new IllegalArgumentException("changes with dependencies outside the set");
      }
      int pick = ready.get(random.nextInt(ready.size()));
      List<OpSetModel.Op> ops = opsByChange.get(pick);
      if (next[pick] < ops.size()) {
        order.add(ops.get(next[pick]++));
        if (random.nextInt(10) == 0) {
          order.add(order.get(random.nextInt(order.size())));
        }
      }
      if (next[pick] == ops.size()) {
        complete.add(changes.get(pick).hash());
      }
    }
    return order;
  }
}
