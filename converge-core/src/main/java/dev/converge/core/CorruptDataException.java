package dev.converge.core;

/**
 * Bytes from a file or a peer are not a valid encoding: bad magic, checksum or hash, truncated
 * data, overlong LEB128, counts that do not match, values out of range. Nothing was changed.
 */
public class CorruptDataException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(Kind.CORRUPT_DATA, message);
  }

  public CorruptDataException(String message, Throwable cause) {
    super(Kind.CORRUPT_DATA, message, cause);
  }
}
