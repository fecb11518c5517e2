package dev.converge.core.internal.opset;

import dev.converge.core.ActorId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The actors a document has seen, each given a small index in order of first appearance, so ops can
 * hold an int instead of an {@link ActorId}. Indexes never change; order comparisons go through the
 * actor bytes. Not thread-safe.
 */
public final class ActorTable {
  private final List<ActorId> actors = new ArrayList<>();
  private final Map<ActorId, Integer> indexes = new HashMap<>();

  /** The index of {@code actor}, adding it if new. */
  public int intern(ActorId actor) {
    Integer index = indexes.get(actor);
    if (index != null) {
      return index;
    }
    int added = actors.size();
    actors.add(actor);
    indexes.put(actor, added);
    return added;
  }

  /** The index of {@code actor}, or -1 if unknown. */
  public int indexOf(ActorId actor) {
    Integer index = indexes.get(actor);
    return index == null ? -1 : index;
  }

  public ActorId get(int index) {
    return actors.get(index);
  }

  public int size() {
    return actors.size();
  }

  /** Compares two op IDs given as (counter, actor index) in Automerge's order. */
  public int compare(long counterA, int actorA, long counterB, int actorB) {
    if (counterA != counterB) {
      return Long.compare(counterA, counterB);
    }
    return actorA == actorB ? 0 : actors.get(actorA).compareTo(actors.get(actorB));
  }

  /** Removes actors added after the table had {@code size} entries (transaction rollback). */
  public void truncate(int size) {
    while (actors.size() > size) {
      indexes.remove(actors.remove(actors.size() - 1));
    }
  }
}
