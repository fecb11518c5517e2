package dev.converge.core.internal.dag;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.ChangeChunks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
    checkSeqsUnused(incoming, queued, applied, lastSeq);
    List<Change> ready = ready(incoming, queued, applied);
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

  private static void checkSeqsUnused(
      Collection<Change> incoming,
      List<Change> queued,
      Predicate<ChangeHash> applied,
      ToLongFunction<ActorId> lastSeq) {
    Set<ChangeHash> seen = new HashSet<>();
    Set<Map.Entry<ActorId, Long>> taken = new HashSet<>();
    for (Change change : queued) {
      seen.add(change.hash());
      taken.add(Map.entry(change.actor(), change.seq()));
    }
    for (Change change : incoming) {
      if (applied.test(change.hash()) || !seen.add(change.hash())) {
        continue;
      }
      if (change.seq() <= lastSeq.applyAsLong(change.actor())
          || !taken.add(Map.entry(change.actor(), change.seq()))) {
        throw new CorruptDataException(
            "duplicate seq " + change.seq() + " found for actor " + change.actor());
      }
    }
  }

  private static void checkSeqOrder(List<Change> ready, ToLongFunction<ActorId> lastSeq) {
    Map<ActorId, Long> last = new HashMap<>();
    for (Change change : ready) {
      long previous = last.computeIfAbsent(change.actor(), lastSeq::applyAsLong);
      if (change.seq() != previous + 1) {
        throw new CorruptDataException(
            "change "
                + change.hash()
                + " by "
                + change.actor()
                + " would apply with seq "
                + change.seq()
                + " after seq "
                + previous);
      }
      last.put(change.actor(), change.seq());
    }
  }

  /**
   * The changes of {@code queued} and {@code incoming} whose deps are all applied or ready, in the
   * order JavaScript applies them.
   */
  private static List<Change> ready(
      Collection<Change> incoming, List<Change> queued, Predicate<ChangeHash> applied) {
    Map<ChangeHash, Change> pending = new LinkedHashMap<>();
    for (Change change : queued) {
      pending.putIfAbsent(change.hash(), change);
    }
    for (Change change : incoming) {
      if (!applied.test(change.hash())) {
        pending.putIfAbsent(change.hash(), change);
      }
    }
    Map<ChangeHash, List<Change>> waiting = new HashMap<>();
    Map<ChangeHash, Integer> missing = new HashMap<>();
    ArrayDeque<Change> free = new ArrayDeque<>();
    for (Change change : pending.values()) {
      int count = 0;
      for (ChangeHash dep : new HashSet<>(change.deps())) {
        if (!applied.test(dep)) {
          count++;
          waiting.computeIfAbsent(dep, d -> new ArrayList<>()).add(change);
        }
      }
      missing.put(change.hash(), count);
      if (count == 0) {
        free.add(change);
      }
    }
    List<Change> ready = new ArrayList<>();
    while (!free.isEmpty()) {
      Change change = free.poll();
      ready.add(change);
      for (Change waiter : waiting.getOrDefault(change.hash(), List.of())) {
        if (missing.merge(waiter.hash(), -1, Integer::sum) == 0) {
          free.add(waiter);
        }
      }
    }
    return ready;
  }
}
