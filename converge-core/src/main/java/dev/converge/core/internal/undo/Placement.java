package dev.converge.core.internal.undo;

import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import java.util.Objects;

/**
 * Where an op sits: its object and its map key or sequence element (for an insert, the element it
 * created).
 */
record Placement(OpId op, ObjId obj, Key key) {
  Placement {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(obj, "obj");
    Objects.requireNonNull(key, "key");
  }
}
