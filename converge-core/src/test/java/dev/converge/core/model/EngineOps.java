package dev.converge.core.model;

import dev.converge.core.Change;
import dev.converge.core.ChangeOp;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;
import java.util.List;

/** The ops of an engine {@link Change} as the model's {@link OpSetModel.Op}s. */
final class EngineOps {
  private EngineOps() {}

  /**
   * The ops of {@code change}, each with the ID its place in the change gives it.
   *
   * @throws IllegalArgumentException for an op the model does not cover: a mark, or an increment by
   *     something other than an integer (which the engine rejects)
   */
  static List<OpSetModel.Op> of(Change change) {
    List<OpSetModel.Op> ops = new ArrayList<>(change.ops().size());
    for (int i = 0; i < change.ops().size(); i++) {
      ChangeOp op = change.ops().get(i);
      ops.add(
          new OpSetModel.Op(
              change.opId(i), op.obj(), op.key(), op.insert(), action(op), op.pred()));
    }
    return ops;
  }

  private static OpSetModel.Action action(ChangeOp op) {
    switch (op.action()) {
      case MAKE_MAP:
      case MAKE_LIST:
      case MAKE_TEXT:
      case MAKE_TABLE:
        return new OpSetModel.Make(op.action().objType());
      case SET:
        return new OpSetModel.Put(op.value());
      case DELETE:
        return new OpSetModel.Del();
      case INCREMENT:
        return new OpSetModel.Inc(increment(op.value()));
      case MARK:
        throw new IllegalArgumentException("the model has no marks: " + op);
    }
    throw new AssertionError(op.action());
  }

  private static long increment(ScalarValue value) {
    if (value instanceof ScalarValue.Int i) {
      return i.value();
    }
    if (value instanceof ScalarValue.Uint u) {
      return u.value();
    }
    if (value instanceof ScalarValue.Counter c) {
      return c.value();
    }
    throw new IllegalArgumentException("an increment by a non-integer: " + value);
  }
}
