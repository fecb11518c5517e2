package dev.converge.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Replays a trace into an engine through its {@link TraceEngine} adapter.
 *
 * <p><b>Sequential</b>: one replica; each txn's patches are one local transaction, the way an
 * editor commits each keystroke.
 *
 * <p><b>Concurrent</b>: the method the editing-traces project prescribes. One replica per agent,
 * all forked from the same empty document. Each txn gets a vector clock, {@code clock[t] =
 * max(clock[p] for p in parents)} with its own agent's entry then incremented; because each agent's
 * history is linear, a clock names a causally closed set of txns. For txn {@code t} by agent {@code
 * a}, replica {@code a} is first brought to exactly {@code max(clock[p])} by applying the recorded
 * updates of the other agents' txns it has not seen, in trace order; then {@code t}'s patches are
 * applied as one local transaction and its update recorded. The positions of {@code t} are relative
 * to that version, which is what the user saw. Finally the replica of the last txn (which
 * transitively includes every txn) merges the others.
 *
 * <p>The replay never reads the text while editing: checking the result is the caller's job ({@link
 * TraceRun}).
 */
public final class TraceReplay {
  private TraceReplay() {}

  /**
   * Replays {@code trace} and returns the final replica; the caller owns it and must {@link
   * TraceEngine#close} it.
   *
   * @throws IllegalStateException if a concurrent trace breaks its guarantees (an agent's txns not
   *     totally ordered)
   */
  public static <R, U> R replay(TraceEngine<R, U> engine, Trace trace) {
    return switch (trace.kind()) {
      case SEQUENTIAL -> sequential(engine, trace);
      case CONCURRENT -> concurrent(engine, trace);
    };
  }

  static <R, U> R sequential(TraceEngine<R, U> engine, Trace trace) {
    R replica = engine.create();
    if (!trace.startContent().isEmpty()) {
      engine.edit(replica, List.of(new TracePatch(0, 0, trace.startContent())));
    }
    for (TraceTxn txn : trace.txns()) {
      engine.edit(replica, txn.patches());
    }
    return replica;
  }

  static <R, U> R concurrent(TraceEngine<R, U> engine, Trace trace) {
    int agents = trace.numAgents();
    List<TraceTxn> txns = trace.txns();
    if (txns.isEmpty()) {
      throw new IllegalStateException("trace " + trace.name() + " has no txns");
    }
    R origin = engine.create();
    if (!trace.startContent().isEmpty()) {
      engine.edit(origin, List.of(new TracePatch(0, 0, trace.startContent())));
    }
    List<R> replicas = new ArrayList<>(agents);
    for (int agent = 0; agent < agents; agent++) {
      replicas.add(engine.fork(origin, agent));
    }
    engine.close(origin);

    int[][] clocks = new int[txns.size()][];
    int[][] seen = new int[agents][agents];
    List<List<Integer>> txnsByAgent = new ArrayList<>(agents);
    for (int agent = 0; agent < agents; agent++) {
      txnsByAgent.add(new ArrayList<>());
    }
    List<Optional<U>> updates = new ArrayList<>(txns.size());

    for (int index = 0; index < txns.size(); index++) {
      TraceTxn txn = txns.get(index);
      int agent = txn.agent();
      int[] target = new int[agents];
      for (int parent : txn.parents()) {
        int[] parentClock = clocks[parent];
        for (int other = 0; other < agents; other++) {
          target[other] = Math.max(target[other], parentClock[other]);
        }
      }
      R replica = replicas.get(agent);
      catchUp(engine, replica, agent, seen[agent], target, txnsByAgent, updates, index);
      updates.add(engine.editForPeers(replica, txn.patches()));
      txnsByAgent.get(agent).add(index);
      seen[agent][agent]++;
      target[agent]++;
      clocks[index] = target;
    }

    int lastAgent = txns.get(txns.size() - 1).agent();
    R result = replicas.get(lastAgent);
    for (int agent = 0; agent < agents; agent++) {
      if (agent != lastAgent) {
        engine.merge(result, replicas.get(agent));
        engine.close(replicas.get(agent));
      }
    }
    return result;
  }

  /**
   * Brings {@code replica} of {@code agent}, which has seen {@code seen[b]} txns of each agent b,
   * to exactly {@code target}, applying the missing updates in trace order.
   */
  private static <R, U> void catchUp(
      TraceEngine<R, U> engine,
      R replica,
      int agent,
      int[] seen,
      int[] target,
      List<List<Integer>> txnsByAgent,
      List<Optional<U>> updates,
      int index) {
    if (target[agent] != seen[agent]) {
      throw new IllegalStateException(
          "txn "
              + index
              + ": agent "
              + agent
              + " made "
              + seen[agent]
              + " txns but its parents include "
              + target[agent]
              + "; an agent's txns must be totally ordered");
    }
    int missingCount = 0;
    for (int other = 0; other < seen.length; other++) {
      if (target[other] < seen[other]) {
        throw new IllegalStateException(
            "txn " + index + ": replica " + agent + " is ahead of its parents for agent " + other);
      }
      missingCount += target[other] - seen[other];
    }
    if (missingCount == 0) {
      return;
    }
    int[] missing = new int[missingCount];
    int filled = 0;
    for (int other = 0; other < seen.length; other++) {
      List<Integer> theirs = txnsByAgent.get(other);
      for (int k = seen[other]; k < target[other]; k++) {
        missing[filled++] = theirs.get(k);
      }
      seen[other] = target[other];
    }
    Arrays.sort(missing);
    for (int txnIndex : missing) {
      Optional<U> update = updates.get(txnIndex);
      if (update.isPresent()) {
        engine.applyRemote(replica, update.get());
      }
    }
  }
}
