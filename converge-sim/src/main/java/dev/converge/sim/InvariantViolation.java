package dev.converge.sim;

/** A simulator invariant failed: the run stops and reports its seed. */
final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvariantViolation(String message) {
    super(message);
  }

  InvariantViolation(String message, Throwable cause) {
    super(message, cause);
  }
}
