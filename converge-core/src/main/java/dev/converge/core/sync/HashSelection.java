package dev.converge.core.sync;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The hash-set computations of the protocol, each a pure function of the document's graph. */
final class HashSelection {
  private HashSelection() {}

  /**
   * The first hash on each path back from {@code start} that is neither applied nor queued, walking
   * through the dependencies of queued changes; sorted. Only what is needed to reach {@code start},
   * not every orphan's dependency: an orphan from another peer would otherwise be asked for forever
   * and, because we withhold our have while we need something, stall the session.
   */
  static List<ChangeHash> missingDepsFrom(Document doc, List<ChangeHash> start) {
    if (start.isEmpty()) {
      return List.of();
    }
    Map<ChangeHash, Change> queued = null;
    TreeSet<ChangeHash> missing = new TreeSet<>();
    Set<ChangeHash> seen = new HashSet<>();
    List<ChangeHash> stack = new ArrayList<>(start);
    while (!stack.isEmpty()) {
      ChangeHash hash = stack.remove(stack.size() - 1);
      if (doc.hasChange(hash) || !seen.add(hash)) {
        continue;
      }
      if (queued == null) {
        queued = new HashMap<>();
        for (Change change : doc.queuedChanges()) {
          queued.put(change.hash(), change);
        }
      }
      Change change = queued.get(hash);
      if (change != null) {
        stack.addAll(change.deps());
      } else {
        missing.add(hash);
      }
    }
    return List.copyOf(missing);
  }

  /**
   * The changes to send to a peer that has {@code have} and asks for {@code need}: the needed
   * hashes we hold, then every change not reachable from the haves' lastSync heads that no Bloom
   * filter contains, together with every change that depends on one of those (a change the peer
   * lacks makes its dependents unusable to the peer, whatever the filters say). In graph order
   * after the needed ones.
   */
  static List<ChangeHash> hashesToSend(Document doc, List<Have> have, List<ChangeHash> need) {
    List<ChangeHash> needed = new ArrayList<>(need.size());
    for (ChangeHash hash : need) {
      if (doc.hasChange(hash)) {
        needed.add(hash);
      }
    }
    if (have.isEmpty()) {
      return needed;
    }
    LinkedHashSet<ChangeHash> lastSync = new LinkedHashSet<>();
    for (Have entry : have) {
      lastSync.addAll(entry.lastSync());
    }
    List<ChangeHash> candidates = doc.hashesSince(List.copyOf(lastSync));
    // Candidates are in graph order, a topological order, so one forward pass marks every
    // dependent of a seed: a change is sent if no filter has it or one of its deps is sent.
    Set<ChangeHash> toSend = new HashSet<>();
    for (ChangeHash hash : candidates) {
      if (inNoFilter(have, hash) || dependsOnAny(doc, hash, toSend)) {
        toSend.add(hash);
      }
    }
    List<ChangeHash> result = new ArrayList<>(needed.size() + toSend.size());
    for (ChangeHash hash : needed) {
      if (!toSend.contains(hash)) {
        result.add(hash);
      }
    }
    for (ChangeHash hash : candidates) {
      if (toSend.contains(hash)) {
        result.add(hash);
      }
    }
    return result;
  }

  private static boolean inNoFilter(List<Have> have, ChangeHash hash) {
    for (Have entry : have) {
      if (entry.bloom().contains(hash)) {
        return false;
      }
    }
    return true;
  }

  private static boolean dependsOnAny(Document doc, ChangeHash hash, Set<ChangeHash> marked) {
    if (marked.isEmpty()) {
      return false;
    }
    for (ChangeHash dep : doc.dependenciesOf(hash).orElseThrow()) {
      if (marked.contains(dep)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The shared heads after applying changes moved our heads from {@code oldHeads} to {@code
   * newHeads}: the new heads that were not heads before (the peer sent them, so it has them), and
   * the old shared heads that are still heads; sorted.
   */
  static List<ChangeHash> advanceHeads(
      List<ChangeHash> oldHeads, List<ChangeHash> newHeads, List<ChangeHash> oldShared) {
    Set<ChangeHash> old = new HashSet<>(oldHeads);
    Set<ChangeHash> current = new HashSet<>(newHeads);
    TreeSet<ChangeHash> advanced = new TreeSet<>();
    for (ChangeHash head : newHeads) {
      if (!old.contains(head)) {
        advanced.add(head);
      }
    }
    for (ChangeHash head : oldShared) {
      if (current.contains(head)) {
        advanced.add(head);
      }
    }
    return List.copyOf(advanced);
  }

  /** Removes from {@code sent} every hash that {@code heads} (the known ones) have seen. */
  static void removeSeen(Document doc, List<ChangeHash> heads, Set<ChangeHash> sent) {
    if (sent.isEmpty()) {
      return;
    }
    List<ChangeHash> known = new ArrayList<>(heads.size());
    for (ChangeHash head : heads) {
      if (doc.hasChange(head)) {
        known.add(head);
      }
    }
    if (known.isEmpty()) {
      return;
    }
    sent.retainAll(new HashSet<>(doc.hashesSince(known)));
  }
}
