package dev.converge.core.internal.opset;

import java.util.Arrays;

/**
 * A causally closed set of ops: for each actor index, the highest op counter included. Because an
 * actor's changes form a chain, the ops a set of heads has seen are exactly those at or below their
 * actor's entry. Immutable once built.
 */
public final class Clock {
  private final long[] maxOpByActor;

  public Clock(long[] maxOpByActor) {
    this.maxOpByActor = maxOpByActor.clone();
  }

  public boolean covers(long counter, int actor) {
    return actor < maxOpByActor.length && counter <= maxOpByActor[actor];
  }

  boolean covers(Op op) {
    return covers(op.counter(), op.actor);
  }

  boolean coversPacked(long packed) {
    return covers(Op.counterOf(packed), Op.actorOf(packed));
  }

  @Override
  public String toString() {
    return "Clock" + Arrays.toString(maxOpByActor);
  }
}
