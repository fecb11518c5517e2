package dev.converge.trace;

import dev.converge.core.ConvergeException;

/**
 * A trace file is not valid: not JSON, a field of the wrong type, a patch that is not {@code
 * [position, deleteCount, insertText]}, a parent that does not point backwards, an agent out of
 * range, or text holding a lone surrogate. The message names the txn index.
 */
public final class TraceFormatException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  public TraceFormatException(String message) {
    super(Kind.CORRUPT_DATA, message);
  }

  public TraceFormatException(String message, Throwable cause) {
    super(Kind.CORRUPT_DATA, message, cause);
  }
}
