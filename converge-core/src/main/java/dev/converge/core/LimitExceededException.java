package dev.converge.core;

/** Input is well formed but larger than a configured limit allows. Nothing was changed. */
public class LimitExceededException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  public LimitExceededException(String message) {
    super(Kind.LIMIT_EXCEEDED, message);
  }

  public LimitExceededException(String message, Throwable cause) {
    super(Kind.LIMIT_EXCEEDED, message, cause);
  }
}
