package dev.converge.core;

import java.util.Objects;

/**
 * One of the values concurrently present at a key or index, with the op that wrote it. The one with
 * the greatest op ID is what a plain read returns.
 */
public record Conflict(OpId opId, Value value) {
  public Conflict {
    Objects.requireNonNull(opId, "opId");
    Objects.requireNonNull(value, "value");
  }
}
