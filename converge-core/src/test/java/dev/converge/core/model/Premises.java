package dev.converge.core.model;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.OpId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The premises of the proven theorem {@code convergence} ({@code proofs/Convergence.v}), checked on
 * a history the engine made: op IDs are unique ({@code unique_ids}), and every op names only ops
 * that happened before it ({@code refs_in_past}), happened-before being the change graph's (an
 * earlier op of the same change, or any op of a change it depends on, directly or not). The third
 * premise, causal delivery, holds by construction of {@link CausalOrders}.
 */
final class Premises {
  private Premises() {}

  private record Place(ChangeHash change, int index) {}

  /** What breaks a premise in {@code changes}, or empty when they all hold. */
  static Optional<String> violation(List<Change> changes) {
    Map<OpId, Place> places = new HashMap<>();
    Map<ChangeHash, Change> byHash = new HashMap<>();
    for (Change change : changes) {
      byHash.put(change.hash(), change);
      for (int i = 0; i < change.ops().size(); i++) {
        if (places.put(change.opId(i), new Place(change.hash(), i)) != null) {
          return Optional.of("op ID " + change.opId(i) + " is used twice");
        }
      }
    }
    for (Change change : changes) {
      Set<ChangeHash> past = ancestors(change, byHash);
      List<OpSetModel.Op> ops = EngineOps.of(change);
      for (int i = 0; i < ops.size(); i++) {
        for (OpId ref : OpSetModel.refs(ops.get(i))) {
          Place place = places.get(ref);
          boolean before =
              place != null
                  && (place.change().equals(change.hash())
                      ? place.index() < i
                      : past.contains(place.change()));
          if (!before) {
            return Optional.of("op " + ops.get(i).id() + " names " + ref + ", not in its past");
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Set<ChangeHash> ancestors(Change change, Map<ChangeHash, Change> byHash) {
    Set<ChangeHash> seen = new HashSet<>();
    ArrayDeque<ChangeHash> todo = new ArrayDeque<>(change.deps());
    while (!todo.isEmpty()) {
      ChangeHash hash = todo.pop();
      if (seen.add(hash)) {
        // Every dep of a change in the set is in the set too.
        todo.addAll(Objects.requireNonNull(byHash.get(hash), "dep").deps());
      }
    }
    return seen;
  }
}
