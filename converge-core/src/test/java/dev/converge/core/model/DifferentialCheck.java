package dev.converge.core.model;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.Document;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One differential run of the engine against the proven model. A seed makes a random concurrent
 * history with the engine ({@link ConcurrentHistory}); the history must meet the premises of the
 * theorem {@code convergence} ({@link Premises}); then its ops go to the model ({@link OpSetModel})
 * in a random causal order, op by op with some duplicates, and its changes go to two fresh engine
 * replicas, each in another random causal order with some duplicates, and all of them into the
 * first actor's own document by merging. Every engine document must show what the model shows: the
 * same values and the same conflicts at every key and element ({@link VisibleTree}).
 *
 * <p>Every choice is drawn from one {@link Random} seeded with the seed, so a seed replays the run.
 * Uses only the JDK and converge-core, so that a test can run it against a mutant of the engine
 * loaded in a class loader of its own.
 */
final class DifferentialCheck {
  private static final int CONTEXT_CHARS = 120;

  private DifferentialCheck() {}

  /** What differs between the engine and the model for {@code seed}; empty when nothing does. */
  static Optional<String> mismatch(long seed) {
    Random random = new Random(seed);
    ConcurrentHistory.History history = ConcurrentHistory.generate(random);
    List<Change> changes = history.changes();
    Optional<String> premise = Premises.violation(changes);
    if (premise.isPresent()) {
      return Optional.of("seed " + seed + ": a premise of the theorem fails: " + premise.get());
    }
    List<OpSetModel.Op> ops = CausalOrders.ops(changes, random);
    Optional<OpSetModel.Replica> model = OpSetModel.deliverAll(OpSetModel.Replica.EMPTY, ops);
    if (model.isEmpty()) {
      return Optional.of("seed " + seed + ": the model rejects the history");
    }
    String expected = VisibleTree.of(model.get().ops());
    for (int replica = 1; replica <= 2; replica++) {
      Document doc = Document.create(ActorId.fromHex("00"), () -> 0L);
      for (Change change : CausalOrders.changes(changes, random)) {
        doc.applyChanges(List.of(change));
      }
      Optional<String> difference = difference("replica " + replica, VisibleTree.of(doc), expected);
      if (difference.isPresent()) {
        return Optional.of("seed " + seed + ": " + difference.get());
      }
    }
    Document merged = history.actors().get(0);
    for (Document other : history.actors()) {
      merged.merge(other);
    }
    return difference("merged actor", VisibleTree.of(merged), expected)
        .map(difference -> "seed " + seed + ": " + difference);
  }

  private static Optional<String> difference(String who, String actual, String expected) {
    if (actual.equals(expected)) {
      return Optional.empty();
    }
    int at = 0;
    while (at < actual.length()
        && at < expected.length()
        && actual.charAt(at) == expected.charAt(at)) {
      at++;
    }
    int from = Math.max(0, at - CONTEXT_CHARS);
    return Optional.of(
        who
            + " differs from the model at character "
            + at
            + "\n  engine: ..."
            + actual.substring(from, Math.min(actual.length(), at + CONTEXT_CHARS))
            + "\n  model:  ..."
            + expected.substring(from, Math.min(expected.length(), at + CONTEXT_CHARS)));
  }
}
