package dev.converge.repo.spi;

/**
 * The store's file itself is damaged: SQLite finds it malformed (a page that is not what its b-tree
 * expects, a file that is not a database), or its own check fails. Rows cannot be trusted to be
 * found where they are, so neither a scrub nor a repair of one document can fix it; salvage the
 * store ({@code Repo.salvage}), which keeps every change that still verifies, and sync with a peer
 * for the rest.
 */
public class MalformedStoreException extends CorruptStoreException {
  private static final long serialVersionUID = 1L;

  public MalformedStoreException(String message) {
    super(message);
  }

  public MalformedStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
