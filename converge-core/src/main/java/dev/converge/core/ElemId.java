package dev.converge.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Names an element of a list or text by the op that inserted it, or {@link #HEAD}, the position
 * before the first element. Immutable and value-based.
 */
public final class ElemId {
  /** Before the first element; encoded as actor null, counter 0. */
  public static final ElemId HEAD = new ElemId(null);

  // null only for HEAD.
  private final OpId opId;

  private ElemId(OpId opId) {
    this.opId = opId;
  }

  public static ElemId of(OpId opId) {
    return new ElemId(Objects.requireNonNull(opId, "opId"));
  }

  public boolean isHead() {
    return opId == null;
  }

  /** The inserting op, empty for HEAD. */
  public Optional<OpId> opId() {
    return Optional.ofNullable(opId);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ElemId that && Objects.equals(opId, that.opId);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(opId);
  }

  @Override
  public String toString() {
    return opId == null ? "_head" : opId.toString();
  }
}
