package dev.converge.core.internal.dag;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.ChangeChunks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The actor rule JavaScript Automerge 3.5 applies to a batch of changes: before it applies the
 * changes that are ready (every dep applied or in the batch), it learns the authors of the batch's
 * first changes (seq 1), and each change's other actors must then be known, else it fails. An other
 * actor that no op names counts too: a chunk may list one, and JavaScript looks them all up.
 * Stateless.
 */
public final class BatchRules {
  private BatchRules() {}

  /**
   * Checks the changes that applying {@code incoming} would apply now.
   *
   * @param queued the changes already waiting for their deps
   * @param applied whether a change is applied
   * @param known whether the document knows an actor
   * @param lastSeq the last seq the document applied of an actor, 0 for none
   * @throws CorruptDataException if a seq is reused, if ready changes of one actor would apply out
   *     of seq order, or if a ready change names an actor that is neither known nor the author of a
   *     first change among the ready ones
   */
  public static void check(
      Collection<Change> incoming,
      List<Change> queued,
      Predicate<ChangeHash> applied,
      Predicate<ActorId> known,
      ToLongFunction<ActorId> lastSeq) {
    Pending pending = pending(incoming, queued, applied, lastSeq);
    List<Change> ready = ready(pending, applied);
    checkSeqOrder(ready, lastSeq);
    Set<ActorId> authors = new HashSet<>();
    for (Change change : ready) {
      if (change.seq() == 1) {
        authors.add(change.actor());
      }
    }
    for (Change change : ready) {
      for (ActorId actor : ChangeChunks.otherActors(change)) {
        if (!known.test(actor) && !authors.contains(actor)) {
          throw new CorruptDataException(
              "change "
                  + change.hash()
                  + " names actor "
                  + actor
                  + ", which is the author of no change applied before or with it");
        }
      }
    }
  }

  /** The queued and incoming changes not applied yet, each once, numbered in that order. */
  private record Pending(List<Change> changes, Map<ChangeHash, Integer> numbers) {}

  /** An actor's seq, for telling a reused one. */
  private record ActorSeq(ActorId actor, long seq) {}

  /**
   * Collects the pending changes: the queued ones, then the incoming ones not applied, each hash
   * once. A whole history is tens of thousands of changes, so every incoming hash is looked up in
   * the graph once, here, and the maps are sized ahead.
   *
   * @throws CorruptDataException if an incoming change reuses a seq applied, queued or incoming
   */
  private static Pending pending(
      Collection<Change> incoming,
      List<Change> queued,
      Predicate<ChangeHash> applied,
      ToLongFunction<ActorId> lastSeq) {
    int capacity = queued.size() + incoming.size();
    List<Change> changes = new ArrayList<>(capacity);
    Map<ChangeHash, Integer> numbers = new HashMap<>(capacity * 4 / 3 + 1);
    Set<ActorSeq> taken = new HashSet<>(capacity * 4 / 3 + 1);
    for (Change change : queued) {
      if (numbers.putIfAbsent(change.hash(), changes.size()) == null) {
        changes.add(change);
      }
      taken.add(new ActorSeq(change.actor(), change.seq()));
    }
    for (Change change : incoming) {
      if (numbers.containsKey(change.hash()) || applied.test(change.hash())) {
        continue;
      }
      if (change.seq() <= lastSeq.applyAsLong(change.actor())
          || !taken.add(new ActorSeq(change.actor(), change.seq()))) {
        throw new CorruptDataException(
            "duplicate seq " + change.seq() + " found for actor " + change.actor());
      }
      numbers.put(change.hash(), changes.size());
      changes.add(change);
    }
    return new Pending(changes, numbers);
  }

  private static void checkSeqOrder(List<Change> ready, ToLongFunction<ActorId> lastSeq) {
    Map<ActorId, long[]> last = new HashMap<>();
    for (Change change : ready) {
      long[] previous =
          last.computeIfAbsent(change.actor(), actor -> new long[] {lastSeq.applyAsLong(actor)});
      if (change.seq() != previous[0] + 1) {
        throw new CorruptDataException(
            "change "
                + change.hash()
                + " by "
                + change.actor()
                + " would apply with seq "
                + change.seq()
                + " after seq "
                + previous[0]);
      }
      previous[0] = change.seq();
    }
  }

  /**
   * The pending changes whose deps are all applied or ready, in the order JavaScript applies them:
   * those with no missing dep in pending order, then each change as its last missing dep becomes
   * ready. Changes are numbered, so the dependency edges are int arrays, not maps of hashes.
   */
  private static List<Change> ready(Pending pending, Predicate<ChangeHash> applied) {
    List<Change> changes = pending.changes();
    int n = changes.size();
    int[] missing = new int[n];
    // Edges dep -> waiter, generated in waiter order, then grouped by dep keeping that order.
    int[] edgeDep = new int[n];
    int[] edgeWaiter = new int[n];
    int edges = 0;
    for (int waiter = 0; waiter < n; waiter++) {
      List<ChangeHash> deps = changes.get(waiter).deps();
      for (int d = 0; d < deps.size(); d++) {
        ChangeHash dep = deps.get(d);
        if (deps.subList(0, d).contains(dep)) {
          continue;
        }
        // A pending change is never applied, so its number spares a lookup in the graph.
        Integer number = pending.numbers().get(dep);
        if (number != null) {
          if (edges == edgeDep.length) {
            edgeDep = Arrays.copyOf(edgeDep, edges * 2 + 1);
            edgeWaiter = Arrays.copyOf(edgeWaiter, edges * 2 + 1);
          }
          edgeDep[edges] = number;
          edgeWaiter[edges] = waiter;
          edges++;
          missing[waiter]++;
        } else if (!applied.test(dep)) {
          missing[waiter]++;
        }
      }
    }
    int[] firstEdge = new int[n + 1];
    for (int e = 0; e < edges; e++) {
      firstEdge[edgeDep[e] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      firstEdge[i + 1] += firstEdge[i];
    }
    int[] waiters = new int[edges];
    int[] fill = Arrays.copyOf(firstEdge, n);
    for (int e = 0; e < edges; e++) {
      waiters[fill[edgeDep[e]]++] = edgeWaiter[e];
    }
    int[] free = new int[n];
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (missing[i] == 0) {
        free[tail++] = i;
      }
    }
    List<Change> ready = new ArrayList<>(tail);
    for (int head = 0; head < tail; head++) {
      int change = free[head];
      ready.add(changes.get(change));
      for (int e = firstEdge[change]; e < firstEdge[change + 1]; e++) {
        if (--missing[waiters[e]] == 0) {
          free[tail++] = waiters[e];
        }
      }
    }
    return ready;
  }
}
