package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.ChangeOp;
import dev.converge.core.ElemId;
import dev.converge.core.ExpandMark;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ScalarValue;
import java.util.List;
import java.util.Optional;

/**
 * The two ops of a mark, as Automerge writes them: a begin inserted with the mark's name and value,
 * an end inserted with neither; each says on its own side whether the mark expands.
 */
public final class MarkOps {
  private MarkOps() {}

  /** The op that begins mark {@code name} with {@code value}, inserted after {@code after}. */
  public static ChangeOp begin(
      ObjId text, ElemId after, String name, ScalarValue value, ExpandMark expand) {
    return new ChangeOp(
        text,
        Key.elem(after),
        true,
        Action.MARK,
        value,
        List.of(),
        expand.beginFlag(),
        Optional.of(name));
  }

  /** The op that ends the mark begun last, inserted after {@code after}. */
  public static ChangeOp end(ObjId text, ElemId after, ExpandMark expand) {
    return new ChangeOp(
        text,
        Key.elem(after),
        true,
        Action.MARK,
        ScalarValue.NULL,
        List.of(),
        expand.endFlag(),
        Optional.empty());
  }
}
