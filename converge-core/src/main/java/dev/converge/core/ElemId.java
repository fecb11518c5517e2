package dev.converge.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Names an element of a list or text by the op that inserted it, or {@link #HEAD}, the position
 * before the first element. Immutable and value-based.
 */
public final class ElemId {
  /** Before the first element; encoded as actor null, counter 0. */
  public static final ElemId HEAD = new ElemId(null);

  // Empty only for HEAD.
  private final Optional<OpId> opId;

  private ElemId(@Nullable OpId opId) {
    // Held as an Optional so that the encoders, which ask for it several times per op, allocate
    // none.
    this.opId = Optional.ofNullable(opId);
  }

  public static ElemId of(OpId opId) {
    return new ElemId(Objects.requireNonNull(opId, "opId"));
  }

  public boolean isHead() {
    return opId.isEmpty();
  }

  /** The inserting op, empty for HEAD. */
  public Optional<OpId> opId() {
    return opId;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ElemId that && opId.equals(that.opId);
  }

  @Override
  public int hashCode() {
    return opId.hashCode();
  }

  @Override
  public String toString() {
    return opId.map(OpId::toString).orElse("_head");
  }
}
