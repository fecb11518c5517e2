package dev.converge.sim.exhaustive;

/**
 * One transition of {@code replica}: a delivery or duplicate of the message at {@code index} on the
 * link from {@code from}, a local change, or waiting for the link from {@code from}.
 */
record ExhaustiveStep(StepKind kind, int replica, int from, int index) {
  @Override
  public String toString() {
    return switch (kind) {
      case DELIVER -> from + ">" + replica + (index == 0 ? "" : "#" + index);
      case DUPLICATE -> "dup " + from + ">" + replica + (index == 0 ? "" : "#" + index);
      case EDIT -> "edit " + replica;
      case WAIT -> replica + " waits for " + from;
    };
  }
}
