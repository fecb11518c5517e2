package dev.converge.repo.spi;

/**
 * Another process (or another open store in this one) holds the store's directory: one directory is
 * opened by one store at a time, so that no two writers make changes the other does not see, and a
 * running server sees every change made to its data. Nothing was opened or changed.
 */
public final class StoreInUseException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StoreInUseException(String message) {
    super(Kind.INVALID_ARGUMENT, message);
  }
}
