package dev.converge.core.internal.opset;

/** What a reader saw at one key or element: the winning op and how many values were visible. */
record SlotState(Op winner, int visible) {

  static SlotState of(Op element) {
    Op winner = element.isVisible() ? element : null;
    int visible = winner == null ? 0 : 1;
    if (element.others() != null) {
      for (Op op : element.others()) {
        if (op.isVisible()) {
          winner = op;
          visible++;
        }
      }
    }
    return new SlotState(winner, visible);
  }
}
