package dev.converge.core;

import java.util.Objects;

/**
 * The ID of an operation: a Lamport counter and the actor that made it. Ordered by counter, then by
 * actor bytes, as Automerge orders them; the greater op ID wins a conflict.
 *
 * @param counter at least 1
 */
public record OpId(long counter, ActorId actor) implements Comparable<OpId> {
  public OpId {
    Objects.requireNonNull(actor, "actor");
    if (counter < 1) {
      throw new IllegalArgumentException("op counter must be at least 1, found " + counter);
    }
  }

  /**
   * Parses Automerge's text form {@code counter@actorhex}.
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static OpId parse(String text) {
    int at = text.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("expected counter@actor, found: " + text);
    }
    return new OpId(Long.parseLong(text.substring(0, at)), ActorId.fromHex(text.substring(at + 1)));
  }

  @Override
  public int compareTo(OpId other) {
    int byCounter = Long.compare(counter, other.counter);
    return byCounter != 0 ? byCounter : actor.compareTo(other.actor);
  }

  @Override
  public String toString() {
    return counter + "@" + actor.toHex();
  }
}
