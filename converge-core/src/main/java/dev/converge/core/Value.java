package dev.converge.core;

import java.util.Objects;

/** What a key or index holds: a scalar, or a nested object named by its ID. */
public sealed interface Value permits Value.Scalar, Value.Obj {

  static Scalar of(ScalarValue value) {
    return new Scalar(value);
  }

  /** A leaf value; a counter shows its current total. */
  record Scalar(ScalarValue value) implements Value {
    public Scalar {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A nested map, list, text or table. */
  record Obj(ObjType type, ObjId id) implements Value {
    public Obj {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(id, "id");
    }
  }
}
