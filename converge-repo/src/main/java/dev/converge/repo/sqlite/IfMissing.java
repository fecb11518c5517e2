package dev.converge.repo.sqlite;

/** What opening a store does when its directory holds none. */
public enum IfMissing {
  /** Creates the directory and an empty store. */
  CREATE,
  /** Refuses, with a {@link dev.converge.repo.spi.StorageException} of kind INVALID_ARGUMENT. */
  REFUSE
}
