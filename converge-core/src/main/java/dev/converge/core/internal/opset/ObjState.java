package dev.converge.core.internal.opset;

import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import org.jspecify.annotations.Nullable;

/** The ops of one object, and where the object sits in its parent. */
abstract sealed class ObjState permits MapObj, SeqObj {
  final ObjId id;
  final ObjType type;

  /** The op that created this object; null for the root. */
  final @Nullable Op makeOp;

  /** The object holding {@link #makeOp}; null for the root. */
  final @Nullable ObjState parent;

  ObjState(ObjId id, ObjType type, @Nullable Op makeOp, @Nullable ObjState parent) {
    this.id = id;
    this.type = type;
    this.makeOp = makeOp;
    this.parent = parent;
  }
}
