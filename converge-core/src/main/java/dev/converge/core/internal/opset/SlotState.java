package dev.converge.core.internal.opset;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a reader saw at one key or element: the winning op and how many values were visible. */
record SlotState(@Nullable Op winner, int visible) {

  static SlotState of(Op element) {
    @Nullable Op winner = element.isVisible() ? element : null;
    int visible = winner == null ? 0 : 1;
    List<Op> others = element.others();
    if (others != null) {
      for (Op op : others) {
        if (op.isVisible()) {
          winner = op;
          visible++;
        }
      }
    }
    return new SlotState(winner, visible);
  }
}
