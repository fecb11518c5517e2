package dev.converge.repo.spi;

import dev.converge.core.ConvergeException;

/**
 * The store could not do what was asked: it cannot be opened or created where it was asked to be, a
 * read or write failed, or it was closed. Nothing was acknowledged that this exception covers.
 * {@link #kind()} says what the caller can do: {@code INVALID_ARGUMENT} for a location that is not
 * usable (missing, read-only, not a directory), {@code CLOSED} after close, {@code LIMIT_EXCEEDED}
 * when the disk or the store is full, {@code UNSUPPORTED} for any other I/O failure.
 */
public class StorageException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  public StorageException(Kind kind, String message) {
    super(kind, message);
  }

  public StorageException(Kind kind, String message, Throwable cause) {
    super(kind, message, cause);
  }
}
