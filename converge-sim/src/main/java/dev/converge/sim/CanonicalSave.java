package dev.converge.sim;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The canonical re-save that convergence compares, in the random simulator and in the exhaustive
 * check alike: a document's changes applied to a fresh document in one canonical causal order
 * (Kahn's algorithm, the smallest hash first among the ready changes), then {@code
 * saveNoCompress()}. Two replicas with the same changes give the same bytes, whatever order each
 * applied them in; a plain {@code saveNoCompress()} lists changes in application order, as
 * Automerge's does, so it may differ.
 */
public final class CanonicalSave {
  private static final ActorId ACTOR = ActorId.of(new byte[] {(byte) 0xca});

  private CanonicalSave() {}

  /**
   * The canonical {@code saveNoCompress()} bytes of {@code doc}'s changes.
   *
   * @throws IllegalStateException if the canonical order does not reach the document's heads (a
   *     change whose dependencies the document lacks)
   */
  public static byte[] of(Document doc) {
    List<Change> changes = doc.changes();
    Map<ChangeHash, Integer> waiting = new HashMap<>();
    Map<ChangeHash, List<Change>> dependents = new HashMap<>();
    PriorityQueue<Change> ready = new PriorityQueue<>((a, b) -> a.hash().compareTo(b.hash()));
    for (Change change : changes) {
      waiting.put(change.hash(), change.deps().size());
      for (ChangeHash dep : change.deps()) {
        dependents.computeIfAbsent(dep, key -> new ArrayList<>()).add(change);
      }
      if (change.deps().isEmpty()) {
        ready.add(change);
      }
    }
    Document canonical = Document.create(ACTOR, () -> 0L);
    while (!ready.isEmpty()) {
      Change next = ready.poll();
      canonical.applyChanges(List.of(next));
      for (Change dependent : dependents.getOrDefault(next.hash(), List.of())) {
        int left = waiting.merge(dependent.hash(), -1, Integer::sum);
        if (left == 0) {
          ready.add(dependent);
        }
      }
    }
    if (!canonical.heads().equals(doc.heads())) {
      throw new IllegalStateException(
          "canonical re-save reached heads " + canonical.heads() + ", not " + doc.heads());
    }
    return canonical.saveNoCompress();
  }
}
