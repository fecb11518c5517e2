package dev.converge.core;

import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.opset.Clock;
import dev.converge.core.internal.opset.OpSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The history reads of a {@link Document}: what its change graph answers about versions, ranges and
 * dependencies, with the argument checks its public methods promise. The caller holds the
 * document's lock and passes the graph it has now (a failed load replaces it).
 */
final class HistoryQueries {
  private HistoryQueries() {}

  /** See {@link Document#hashesSince}. */
  static List<ChangeHash> hashesSince(ChangeGraph graph, List<ChangeHash> heads) {
    return hashes(graph, graph.indexesSince(heads));
  }

  /** See {@link Document#dependenciesOf}. */
  static Optional<List<ChangeHash>> dependenciesOf(ChangeGraph graph, ChangeHash hash) {
    int index = graph.indexOf(hash);
    return index < 0 ? Optional.empty() : Optional.of(hashes(graph, graph.depsOf(index)));
  }

  private static List<ChangeHash> hashes(ChangeGraph graph, int[] indexes) {
    List<ChangeHash> result = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      result.add(graph.hash(index));
    }
    return result;
  }

  /** The times of the current heads, which a local change's time must not fall below. */
  static long[] headTimes(ChangeGraph graph) {
    List<ChangeHash> heads = graph.heads();
    long[] times = new long[heads.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = graph.time(graph.indexOf(heads.get(i)));
    }
    return times;
  }

  /**
   * The applied changes the version {@code heads} has seen, in the order they were applied.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  static List<Change> changesAt(ChangeGraph graph, List<ChangeHash> heads) {
    BitSet closure = closure(graph, heads);
    List<Change> past = new ArrayList<>();
    for (int i = closure.nextSetBit(0); i >= 0; i = closure.nextSetBit(i + 1)) {
      past.add(graph.get(i));
    }
    return past;
  }

  /**
   * The ops the version {@code heads} has seen: per actor of {@code opSet}, the highest counter.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  static Clock clockAt(ChangeGraph graph, OpSet opSet, List<ChangeHash> heads) {
    BitSet closure = closure(graph, heads);
    long[] maxOp = new long[opSet.actors().size()];
    for (int i = closure.nextSetBit(0); i >= 0; i = closure.nextSetBit(i + 1)) {
      int actorIndex = opSet.actors().indexOf(graph.actor(i));
      maxOp[actorIndex] = Math.max(maxOp[actorIndex], graph.maxOp(i));
    }
    return new Clock(maxOp);
  }

  /**
   * See {@link DocumentHistory#changeSummaries}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the range is out of bounds
   */
  static List<ChangeSummary> changeSummaries(ChangeGraph graph, int fromIndex, int toIndex) {
    requireRange(graph, fromIndex, toIndex);
    List<ChangeSummary> summaries = new ArrayList<>(toIndex - fromIndex);
    for (int i = fromIndex; i < toIndex; i++) {
      long startOp = graph.startOp(i);
      List<ChangeHash> deps = new ArrayList<>(graph.depCount(i));
      for (int d = 0; d < graph.depCount(i); d++) {
        deps.add(graph.hash(graph.dep(i, d)));
      }
      deps.sort(null);
      summaries.add(
          new ChangeSummary(
              graph.hash(i),
              graph.actor(i),
              graph.seq(i),
              startOp,
              (int) (graph.maxOp(i) - startOp + 1),
              graph.time(i),
              graph.message(i),
              deps));
    }
    return summaries;
  }

  /**
   * See {@link DocumentHistory#headsOfFirst}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if {@code count} is out of bounds
   */
  static List<ChangeHash> headsOfFirst(ChangeGraph graph, int count) {
    requireRange(graph, 0, count);
    return graph.headsOfFirst(count);
  }

  private static void requireRange(ChangeGraph graph, int fromIndex, int toIndex) {
    if (fromIndex < 0 || toIndex < fromIndex || toIndex > graph.size()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "change range "
              + fromIndex
              + ".."
              + toIndex
              + " is not within the document's "
              + graph.size()
              + " changes");
    }
  }

  /**
   * See {@link Document#compare}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if a hash is unknown
   */
  static Causality compare(ChangeGraph graph, List<ChangeHash> a, List<ChangeHash> b) {
    BitSet seenByA = closure(graph, a);
    BitSet seenByB = closure(graph, b);
    if (seenByA.equals(seenByB)) {
      return Causality.EQUAL;
    }
    BitSet aOnly = (BitSet) seenByA.clone();
    aOnly.andNot(seenByB);
    BitSet bOnly = (BitSet) seenByB.clone();
    bOnly.andNot(seenByA);
    if (aOnly.isEmpty()) {
      return Causality.BEFORE;
    }
    return bOnly.isEmpty() ? Causality.AFTER : Causality.CONCURRENT;
  }

  private static BitSet closure(ChangeGraph graph, List<ChangeHash> heads) {
    try {
      return graph.closure(heads);
    } catch (IllegalArgumentException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          Objects.requireNonNullElse(e.getMessage(), "heads not in the document"),
          e);
    }
  }
}
