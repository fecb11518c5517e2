package dev.converge.core.internal.opset;

import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import org.jspecify.annotations.Nullable;

/** A list or text: its elements in document order, and an index from element ID to element. */
final class SeqObj extends ObjState {
  final SeqTree tree;
  final ElementIndex elements = new ElementIndex();

  /** How many mark anchors the sequence holds; inserts need to look for them only if any. */
  int markCount;

  SeqObj(ObjId id, ObjType type, @Nullable Op makeOp, @Nullable ObjState parent) {
    super(id, type, makeOp, parent);
    this.tree = new SeqTree(type == ObjType.TEXT);
  }
}
