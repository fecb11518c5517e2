package dev.converge.core.internal.dag;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * The applied changes of a document, in the order they entered it (a topological order), with their
 * dependency edges, the current heads, and each actor's chain of changes.
 *
 * <p>The graph answers the causal questions: which changes a set of heads has seen (its closure),
 * which changes are new since some heads, and the highest op counter per actor that a set of heads
 * covers (the clock used for time travel). Changes are only ever appended; the last append can be
 * taken back while a batch is still being verified.
 *
 * <p>Not thread-safe.
 */
public final class ChangeGraph {
  private final ArrayList<Change> changes = new ArrayList<>();
  private final ArrayList<int[]> depIndexes = new ArrayList<>();
  private final HashMap<ChangeHash, Integer> indexByHash = new HashMap<>();
  private final HashMap<ActorId, ArrayList<Integer>> byActor = new HashMap<>();
  private final TreeSet<ChangeHash> heads = new TreeSet<>();

  public int size() {
    return changes.size();
  }

  public Change get(int index) {
    return changes.get(index);
  }

  public boolean contains(ChangeHash hash) {
    return indexByHash.containsKey(hash);
  }

  /** The index of the change with {@code hash}, or -1. */
  public int indexOf(ChangeHash hash) {
    Integer index = indexByHash.get(hash);
    return index == null ? -1 : index;
  }

  /** The dependency indexes of the change at {@code index}. */
  public int[] depsOf(int index) {
    return depIndexes.get(index);
  }

  /** The current heads, sorted. */
  public List<ChangeHash> heads() {
    return List.copyOf(heads);
  }

  /** The highest seq this graph holds for {@code actor}, 0 if none. */
  public long lastSeq(ActorId actor) {
    ArrayList<Integer> chain = byActor.get(actor);
    return chain == null ? 0 : chain.size();
  }

  /** The change of {@code actor} with {@code seq}, or null. */
  public Change bySeq(ActorId actor, long seq) {
    ArrayList<Integer> chain = byActor.get(actor);
    if (chain == null || seq < 1 || seq > chain.size()) {
      return null;
    }
    return changes.get(chain.get((int) seq - 1));
  }

  /**
   * Appends a change whose dependencies are all present and whose seq follows its actor's last, and
   * returns the hashes that stopped being heads, for {@link #removeLast}.
   *
   * @throws IllegalStateException if a dependency is missing or the seq is out of order (the caller
   *     checks both first)
   */
  public List<ChangeHash> add(Change change) {
    List<ChangeHash> deps = change.deps();
    int[] indexes = new int[deps.size()];
    for (int i = 0; i < indexes.length; i++) {
      Integer dep = indexByHash.get(deps.get(i));
      if (dep == null) {
        throw new IllegalStateException("dependency " + deps.get(i) + " of " + change + " missing");
      }
      indexes[i] = dep;
    }
    ArrayList<Integer> chain = byActor.computeIfAbsent(change.actor(), actor -> new ArrayList<>());
    if (change.seq() != chain.size() + 1) {
      throw new IllegalStateException("seq " + change.seq() + " after " + chain.size());
    }
    int index = changes.size();
    changes.add(change);
    depIndexes.add(indexes);
    indexByHash.put(change.hash(), index);
    chain.add(index);
    List<ChangeHash> replaced = new ArrayList<>(deps.size());
    for (ChangeHash dep : deps) {
      if (heads.remove(dep)) {
        replaced.add(dep);
      }
    }
    heads.add(change.hash());
    return replaced;
  }

  /** Takes back the most recent {@link #add}, given the heads it replaced. */
  public void removeLast(List<ChangeHash> replacedHeads) {
    int index = changes.size() - 1;
    Change change = changes.remove(index);
    depIndexes.remove(index);
    indexByHash.remove(change.hash());
    ArrayList<Integer> chain = byActor.get(change.actor());
    chain.remove(chain.size() - 1);
    if (chain.isEmpty()) {
      byActor.remove(change.actor());
    }
    heads.remove(change.hash());
    heads.addAll(replacedHeads);
  }

  /**
   * The changes reachable from {@code from} (inclusive), as a set of indexes.
   *
   * @throws IllegalArgumentException if a hash is not in the graph
   */
  public BitSet closure(List<ChangeHash> from) {
    BitSet seen = new BitSet(changes.size());
    ArrayList<Integer> stack = new ArrayList<>();
    for (ChangeHash hash : from) {
      Integer index = indexByHash.get(hash);
      if (index == null) {
        throw new IllegalArgumentException("unknown change " + hash);
      }
      stack.add(index);
    }
    while (!stack.isEmpty()) {
      int index = stack.remove(stack.size() - 1);
      if (seen.get(index)) {
        continue;
      }
      seen.set(index);
      for (int dep : depIndexes.get(index)) {
        if (!seen.get(dep)) {
          stack.add(dep);
        }
      }
    }
    return seen;
  }

  /** The changes not reachable from {@code heads}, in the order they were applied. */
  public List<Change> changesSince(List<ChangeHash> since) {
    List<ChangeHash> known = new ArrayList<>();
    for (ChangeHash hash : since) {
      if (contains(hash)) {
        known.add(hash);
      }
    }
    BitSet seen = closure(known);
    List<Change> result = new ArrayList<>();
    for (int i = seen.nextClearBit(0); i < changes.size(); i = seen.nextClearBit(i + 1)) {
      result.add(changes.get(i));
    }
    return result;
  }

  /** All changes in the order they were applied. */
  public List<Change> all() {
    return List.copyOf(changes);
  }
}
