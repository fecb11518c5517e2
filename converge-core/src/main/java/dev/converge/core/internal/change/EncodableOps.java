package dev.converge.core.internal.change;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ScalarValue;
import org.jspecify.annotations.Nullable;

/**
 * The ops of one change as the encoder reads them: field by field, by index, so that ops held in
 * columns (a loaded document's) are encoded without an object per op, and a local commit's {@link
 * dev.converge.core.ChangeOp} list through {@link ChangeOpList}.
 *
 * <p>Absent parts are null: the root object's actor, a property key's or the head's element actor,
 * an element key's property name, a mark name outside a mark begin.
 */
public interface EncodableOps {
  int size();

  /** The actor of the op that made the op's object, or null for the root. */
  @Nullable ActorId objActor(int op);

  long objCounter(int op);

  /** The property name, or null for an element key. */
  @Nullable String keyProp(int op);

  /** The element's actor, or null for the head and for a property key. */
  @Nullable ActorId keyActor(int op);

  /** The element's counter; 0 for the head. */
  long keyCounter(int op);

  boolean insert(int op);

  Action action(int op);

  ScalarValue value(int op);

  int predCount(int op);

  /** The actor of pred {@code p}; preds ascend by op id (counter, then actor). */
  ActorId predActor(int op, int p);

  long predCounter(int op, int p);

  boolean expand(int op);

  /** The mark name of a mark begin, or null. */
  @Nullable String markName(int op);
}
