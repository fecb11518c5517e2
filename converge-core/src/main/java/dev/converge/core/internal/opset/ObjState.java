package dev.converge.core.internal.opset;

import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import org.jspecify.annotations.Nullable;

/** The ops of one object, and where the object sits in its parent. */
abstract sealed class ObjState permits MapObj, SeqObj {
  final ObjId id;
  final ObjType type;

  /**
   * The op that created this object; null for the root, and for an orphan: an object a loaded
   * document chunk has ops on although no op made it, which JavaScript Automerge keeps unreachable
   * from the root (its value is never shown) so that the ops still save and hash as they came.
   */
  @Nullable Op makeOp; // set once more when the maker of an orphan comes later in a batch

  /** The object holding {@link #makeOp}; null for the root and for an orphan. */
  @Nullable ObjState parent;

  ObjState(ObjId id, ObjType type, @Nullable Op makeOp, @Nullable ObjState parent) {
    this.id = id;
    this.type = type;
    this.makeOp = makeOp;
    this.parent = parent;
  }

  /** Whether no op made this object and it is not the root (see {@link #makeOp}). */
  final boolean orphan() {
    return makeOp == null && !id.isRoot();
  }
}
