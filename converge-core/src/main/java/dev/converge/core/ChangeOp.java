package dev.converge.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation as a change carries it. Its own op ID is implied by its position in the change
 * ({@code startOp + index}, with the change's actor).
 *
 * @param obj the object acted on
 * @param key the map property, or for sequences the element acted on (for an insert, the element
 *     after which the new one goes)
 * @param insert true for an op that inserts a new sequence element
 * @param action what the op does
 * @param value the value set, the initial counter value, the increment, or the mark value; {@link
 *     ScalarValue#NULL} where the action has none
 * @param pred the ops this one overwrites or deletes, ascending
 * @param expand for a mark begin "expand before", for a mark end "expand after"
 * @param markName the mark's name for a mark begin, empty otherwise
 */
public record ChangeOp(
    ObjId obj,
    Key key,
    boolean insert,
    Action action,
    ScalarValue value,
    List<OpId> pred,
    boolean expand,
    Optional<String> markName) {

  public ChangeOp {
    Objects.requireNonNull(obj, "obj");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(value, "value");
    pred = List.copyOf(pred);
    Objects.requireNonNull(markName, "markName");
  }
}
