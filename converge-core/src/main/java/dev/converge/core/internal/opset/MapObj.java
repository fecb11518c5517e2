package dev.converge.core.internal.opset;

import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import java.util.ArrayList;
import java.util.HashMap;

/** A map or table: the ops at each key, in op ID order. */
final class MapObj extends ObjState {
  final HashMap<String, ArrayList<Op>> keys = new HashMap<>();

  MapObj(ObjId id, ObjType type, Op makeOp, ObjState parent) {
    super(id, type, makeOp, parent);
  }
}
