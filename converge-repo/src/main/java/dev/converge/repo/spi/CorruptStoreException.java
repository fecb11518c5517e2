package dev.converge.repo.spi;

import dev.converge.core.CorruptDataException;

/**
 * The store's file is damaged: not a database, failing SQLite's own checks, or holding a change
 * whose bytes do not hash to its name. Nothing was served from the damaged part; recovery is by
 * re-sync from a replica, never by guessing.
 */
public class CorruptStoreException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  public CorruptStoreException(String message) {
    super(message);
  }

  public CorruptStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
