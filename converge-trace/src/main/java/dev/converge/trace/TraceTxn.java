package dev.converge.trace;

import java.util.List;

/**
 * One txn of a trace: what one user did in one transaction. In a sequential trace {@code agent} is
 * 0 and {@code parents} is empty: each txn follows the one before. In a concurrent trace the patch
 * positions are relative to the document at the {@code parents} version.
 */
public record TraceTxn(int agent, List<Integer> parents, List<TracePatch> patches) {
  public TraceTxn {
    if (agent < 0) {
      throw new IllegalArgumentException("agent must be >= 0, found " + agent);
    }
    parents = List.copyOf(parents);
    patches = List.copyOf(patches);
  }
}
