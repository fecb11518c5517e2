package dev.converge.sim;

import dev.converge.core.Causality;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The safety checks run after every step, on every replica that is up.
 *
 * <ul>
 *   <li>Causality: every change applied since the last check has its dependencies applied before
 *       it, in application order; {@link Document#missingDeps()} names only hashes not applied, and
 *       no queued change counts as applied.
 *   <li>Heads only grow within an incarnation: the previous heads are {@link Causality#BEFORE} or
 *       {@link Causality#EQUAL} to the current ones. A restart may roll back unacknowledged
 *       changes, so the comparison starts over with each incarnation.
 *   <li>Durability: every change this replica acknowledged, in any incarnation, is applied, but
 *       those a corrupt record lost at a restart, until a peer sends them back (convergence then
 *       requires them everywhere).
 *   <li>Change times: see {@link ChangeTimeInvariant}.
 * </ul>
 *
 * <p>Not thread-safe; one per run.
 */
final class Invariants {
  private final List<List<ChangeHash>> lastHeads = new ArrayList<>();
  private final int[] lastIncarnation;
  private final ChangeTimeInvariant changeTimes;

  Invariants(int replicas) {
    lastIncarnation = new int[replicas];
    changeTimes = new ChangeTimeInvariant(replicas);
    for (int i = 0; i < replicas; i++) {
      lastHeads.add(List.of());
    }
  }

  void check(Replica replica) {
    if (!replica.isUp()) {
      return;
    }
    Document doc = replica.doc();
    int index = replica.index;
    changeTimes.sawWallClock(replica);
    if (replica.incarnation() != lastIncarnation[index]) {
      lastIncarnation[index] = replica.incarnation();
      lastHeads.set(index, List.of());
      changeTimes.restarted(replica);
    }
    List<ChangeHash> heads = doc.heads();
    List<ChangeHash> before = lastHeads.get(index);
    if (!heads.equals(before)) {
      checkGrowth(index, doc, before, heads);
      checkCausalOrder(index, doc, before);
      changeTimes.check(replica, doc.hashesSince(before));
      lastHeads.set(index, heads);
    }
    for (ChangeHash missing : doc.missingDeps()) {
      if (doc.hasChange(missing)) {
        throw new InvariantViolation(
            "replica " + index + ": missingDeps lists " + missing + ", which is applied");
      }
    }
    for (dev.converge.core.Change queued : doc.queuedChanges()) {
      if (doc.hasChange(queued.hash())) {
        throw new InvariantViolation(
            "replica " + index + ": queued change " + queued.hash() + " is also applied");
      }
    }
    for (ChangeHash acknowledged : replica.acknowledged()) {
      if (!doc.hasChange(acknowledged) && !replica.isAwaitingRepair(acknowledged)) {
        throw new InvariantViolation(
            "replica "
                + index
                + " lost acknowledged change "
                + acknowledged
                + " (incarnation "
                + replica.incarnation()
                + ")");
      }
    }
  }

  private static void checkGrowth(
      int index, Document doc, List<ChangeHash> before, List<ChangeHash> heads) {
    for (ChangeHash head : before) {
      if (!doc.hasChange(head)) {
        throw new InvariantViolation(
            "replica " + index + ": earlier head " + head + " is no longer applied");
      }
    }
    Causality causality;
    try {
      causality = doc.compare(before, heads);
    } catch (ConvergeException e) {
      throw new InvariantViolation("replica " + index + ": comparing heads failed", e);
    }
    if (causality != Causality.BEFORE && causality != Causality.EQUAL) {
      throw new InvariantViolation(
          "replica "
              + index
              + ": heads went from "
              + before
              + " to "
              + heads
              + " ("
              + causality
              + ")");
    }
  }

  /** The changes applied since {@code before}, in application order, each after its deps. */
  private static void checkCausalOrder(int index, Document doc, List<ChangeHash> before) {
    List<ChangeHash> added = doc.hashesSince(before);
    Set<ChangeHash> addedAll = new HashSet<>(added);
    Set<ChangeHash> addedSoFar = new HashSet<>();
    for (ChangeHash hash : added) {
      Optional<List<ChangeHash>> deps = doc.dependenciesOf(hash);
      if (deps.isEmpty()) {
        throw new InvariantViolation(
            "replica " + index + ": applied change " + hash + " has no deps");
      }
      for (ChangeHash dep : deps.get()) {
        boolean appliedEarlier =
            addedSoFar.contains(dep) || (doc.hasChange(dep) && !addedAll.contains(dep));
        if (!appliedEarlier) {
          throw new InvariantViolation(
              "replica " + index + ": change " + hash + " applied before its dependency " + dep);
        }
      }
      addedSoFar.add(hash);
    }
  }
}
