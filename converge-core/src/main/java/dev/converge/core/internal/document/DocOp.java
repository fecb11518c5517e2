package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One op as a document stores it: with its own id and its successors instead of preds. Deletes are
 * never stored; they show only as successors.
 *
 * @param succ the ops that overwrote, deleted or incremented this one, ascending
 * @param markName the mark name of a mark begin, empty otherwise
 */
public record DocOp(
    ObjId obj,
    Key key,
    OpId id,
    boolean insert,
    Action action,
    ScalarValue value,
    List<OpId> succ,
    boolean expand,
    Optional<String> markName) {

  public DocOp {
    Objects.requireNonNull(obj, "obj");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(value, "value");
    succ = List.copyOf(succ);
    Objects.requireNonNull(markName, "markName");
  }
}
