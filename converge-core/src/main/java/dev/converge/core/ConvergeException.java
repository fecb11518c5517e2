package dev.converge.core;

/**
 * The root of every exception Converge throws on purpose. Its subtypes are chosen by what the
 * caller can do about the failure, and {@link #kind()} gives the same as a stable code for
 * command-line exit codes and wire errors.
 */
public class ConvergeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A machine-readable failure class, stable across versions. */
  public enum Kind {
    CORRUPT_DATA,
    UNSUPPORTED,
    LIMIT_EXCEEDED,
    MISSING_DEPENDENCIES,
    INVALID_ARGUMENT,
    /** Reading or writing storage failed; the data may be fine. */
    IO,
    CLOSED
  }

  private final Kind kind;

  public ConvergeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ConvergeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
