package dev.converge.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Names an object: the root map, or the op that created the object. Immutable and value-based. */
public final class ObjId {
  /** The implicit root map of every document, written {@code _root} by Automerge. */
  public static final ObjId ROOT = new ObjId(null);

  // Empty only for the root.
  private final Optional<OpId> opId;

  private ObjId(@Nullable OpId opId) {
    // Held as an Optional so that the encoders, which ask for it several times per op, allocate
    // none.
    this.opId = Optional.ofNullable(opId);
  }

  /** The object created by the op {@code opId}. */
  public static ObjId of(OpId opId) {
    return new ObjId(Objects.requireNonNull(opId, "opId"));
  }

  /**
   * Parses {@code _root} or {@code counter@actorhex}.
   *
   * @throws IllegalArgumentException if {@code text} is neither
   */
  public static ObjId parse(String text) {
    return text.equals("_root") ? ROOT : of(OpId.parse(text));
  }

  public boolean isRoot() {
    return opId.isEmpty();
  }

  /** The creating op, empty for the root. */
  public Optional<OpId> opId() {
    return opId;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ObjId that && opId.equals(that.opId);
  }

  @Override
  public int hashCode() {
    return opId.hashCode();
  }

  @Override
  public String toString() {
    return opId.map(OpId::toString).orElse("_root");
  }
}
