package dev.converge.core.internal.opset;

import dev.converge.core.Change;
import dev.converge.core.ChangeOp;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The objects that the ops of a batch of changes make, by ID. JavaScript Automerge applies a batch
 * as a whole, so an op may act on an object that an op of the batch makes later (or that the op
 * makes itself); the map is built only when an op names an object that does not exist yet.
 */
final class BatchObjects {
  static final BatchObjects NONE = new BatchObjects(List.of());

  private final List<Collection<Change>> batches;
  private @Nullable Map<ObjId, ObjType> made;

  BatchObjects(List<Collection<Change>> batches) {
    this.batches = batches;
  }

  /** The type of object {@code id}, if an op of the batch makes it; else null. */
  @Nullable ObjType typeOf(ObjId id) {
    Map<ObjId, ObjType> found = made;
    if (found == null) {
      found = new HashMap<>();
      for (Collection<Change> changes : batches) {
        for (Change change : changes) {
          List<ChangeOp> ops = change.ops();
          for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).action().makesObject()) {
              OpId maker = new OpId(change.startOp() + i, change.actor());
              found.putIfAbsent(ObjId.of(maker), ops.get(i).action().objType());
            }
          }
        }
      }
      made = found;
    }
    return found.get(id);
  }
}
