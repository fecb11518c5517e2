package dev.converge.core.internal.dag;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Changes received before their dependencies. Each waits on the hashes it still lacks and is
 * released, in arrival order, when the last of them is applied; so any delivery order gives the
 * same causal application order. Not thread-safe.
 */
public final class ChangeQueue {
  private final LinkedHashMap<ChangeHash, Change> waiting = new LinkedHashMap<>();
  private final HashMap<ChangeHash, List<Change>> waitersByDep = new HashMap<>();
  private final HashMap<ChangeHash, Integer> missingCount = new HashMap<>();

  public boolean contains(ChangeHash hash) {
    return waiting.containsKey(hash);
  }

  public int size() {
    return waiting.size();
  }

  /** The queued changes in arrival order. */
  public List<Change> changes() {
    return new ArrayList<>(waiting.values());
  }

  /**
   * Queues {@code change} if some dependency is not yet applied.
   *
   * @return true if the change must wait, false if it can be applied now
   */
  public boolean offer(Change change, Predicate<ChangeHash> applied) {
    int missing = 0;
    for (ChangeHash dep : change.deps()) {
      if (!applied.test(dep)) {
        missing++;
        waitersByDep.computeIfAbsent(dep, hash -> new ArrayList<>(1)).add(change);
      }
    }
    if (missing == 0) {
      return false;
    }
    waiting.put(change.hash(), change);
    missingCount.put(change.hash(), missing);
    return true;
  }

  /** Records that {@code hash} was applied and returns the changes that no longer wait. */
  public List<Change> release(ChangeHash hash) {
    List<Change> waiters = waitersByDep.remove(hash);
    if (waiters == null) {
      return List.of();
    }
    List<Change> ready = new ArrayList<>();
    for (Change waiter : waiters) {
      int left = missingCount.merge(waiter.hash(), -1, Integer::sum);
      if (left == 0) {
        missingCount.remove(waiter.hash());
        waiting.remove(waiter.hash());
        ready.add(waiter);
      }
    }
    return ready;
  }

  /** The hashes some queued change waits on that are neither applied nor queued, sorted. */
  public List<ChangeHash> missing() {
    TreeSet<ChangeHash> missing = new TreeSet<>();
    for (ChangeHash dep : waitersByDep.keySet()) {
      if (!waiting.containsKey(dep)) {
        missing.add(dep);
      }
    }
    return List.copyOf(missing);
  }

  public void clear() {
    waiting.clear();
    waitersByDep.clear();
    missingCount.clear();
  }
}
