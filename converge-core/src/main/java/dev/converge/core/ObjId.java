package dev.converge.core;

import java.util.Objects;
import java.util.Optional;

/** Names an object: the root map, or the op that created the object. Immutable and value-based. */
public final class ObjId {
  /** The implicit root map of every document, written {@code _root} by Automerge. */
  public static final ObjId ROOT = new ObjId(null);

  // null only for the root; kept private so no caller ever sees the null.
  private final OpId opId;

  private ObjId(OpId opId) {
    this.opId = opId;
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
    return opId == null;
  }

  /** The creating op, empty for the root. */
  public Optional<OpId> opId() {
    return Optional.ofNullable(opId);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ObjId that && Objects.equals(opId, that.opId);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(opId);
  }

  @Override
  public String toString() {
    return opId == null ? "_root" : opId.toString();
  }
}
