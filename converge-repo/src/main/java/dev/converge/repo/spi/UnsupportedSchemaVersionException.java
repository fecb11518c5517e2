package dev.converge.repo.spi;

import dev.converge.core.UnsupportedFormatException;

/**
 * The store was written by a version of Converge with a schema this version does not know (usually
 * a newer one). Nothing was changed: the file is left for the version that wrote it.
 */
public class UnsupportedSchemaVersionException extends UnsupportedFormatException {
  private static final long serialVersionUID = 1L;

  private final long found;

  public UnsupportedSchemaVersionException(long found, long supported) {
    super("store schema version " + found + " is not supported; this version reads " + supported);
    this.found = found;
  }

  public long found() {
    return found;
  }
}
