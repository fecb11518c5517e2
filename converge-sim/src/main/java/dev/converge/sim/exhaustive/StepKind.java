package dev.converge.sim.exhaustive;

/** What an {@link ExhaustiveStep} does. */
enum StepKind {
  DELIVER(1),
  DUPLICATE(2),
  EDIT(3),
  WAIT(4);

  /** Its code in memo keys. */
  final int code;

  StepKind(int code) {
    this.code = code;
  }
}
