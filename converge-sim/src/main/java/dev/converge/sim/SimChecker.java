package dev.converge.sim;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of a run: the safety {@link Invariants} after every step on every replica that is up,
 * and at the end, convergence. Converged means every replica has the same heads, no queued change,
 * the same value, the same {@link CanonicalSave} bytes, every change any replica acknowledged, and
 * a save that loads and saves again to the same bytes. Raw {@code saveNoCompress()} bytes are not
 * compared across replicas: as in Automerge, a document chunk lists changes in the order they were
 * applied, which legitimately differs between replicas.
 *
 * <p>Each failed check throws an {@link InvariantViolation} naming the replica and what differs.
 * Not thread-safe; one per run.
 */
final class SimChecker {
  private final Replicas replicas;
  private final Invariants invariants;

  SimChecker(Replicas replicas) {
    this.replicas = replicas;
    this.invariants = new Invariants(replicas.count());
  }

  /** The safety checks, after every step. */
  void afterStep() {
    for (Replica replica : replicas) {
      invariants.check(replica);
    }
  }

  boolean allHeadsEqual() {
    List<ChangeHash> heads = replicas.get(0).doc().heads();
    for (Replica replica : replicas) {
      if (!replica.doc().heads().equals(heads)) {
        return false;
      }
    }
    return true;
  }

  /** Per replica: how many changes, heads and missing dependencies it has. */
  String headsReport() {
    StringBuilder out = new StringBuilder();
    for (Replica replica : replicas) {
      Document doc = replica.doc();
      out.append("replica ")
          .append(replica.index)
          .append(": ")
          .append(doc.hashesSince(List.of()).size())
          .append(" changes, ")
          .append(doc.heads().size())
          .append(" heads, ")
          .append(doc.missingDeps().size())
          .append(" missing deps; ");
    }
    return out.toString();
  }

  /** Convergence, once faults stopped and nothing is in flight. */
  void checkConverged() {
    Document first = replicas.get(0).doc();
    String json = first.toJson();
    byte[] saved = CanonicalSave.of(first);
    Set<ChangeHash> acknowledged = new LinkedHashSet<>();
    for (Replica replica : replicas) {
      acknowledged.addAll(replica.acknowledged());
    }
    for (Replica replica : replicas) {
      Document doc = replica.doc();
      String which = "replica " + replica.index + " and replica 0 ";
      if (!doc.heads().equals(first.heads())) {
        throw new InvariantViolation(which + "have different heads; " + headsReport());
      }
      if (!doc.queuedChanges().isEmpty()) {
        throw new InvariantViolation(
            "replica "
                + replica.index
                + " still queues "
                + doc.queuedChanges().size()
                + " changes");
      }
      if (!doc.toJson().equals(json)) {
        throw new InvariantViolation(which + "have the same heads but different values");
      }
      byte[] own = doc.saveNoCompress();
      if (!Arrays.equals(Document.load(own).saveNoCompress(), own)) {
        throw new InvariantViolation(
            "replica " + replica.index + ": saveNoCompress of its own load differs from its save");
      }
      if (!Arrays.equals(CanonicalSave.of(doc), saved)) {
        throw new InvariantViolation(
            which + "have the same heads but different canonical saveNoCompress bytes");
      }
      for (ChangeHash hash : acknowledged) {
        if (!doc.hasChange(hash)) {
          throw new InvariantViolation(
              "replica " + replica.index + " lacks acknowledged change " + hash);
        }
      }
    }
  }
}
