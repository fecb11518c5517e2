package dev.converge.core;

/**
 * Input uses a format feature this version does not implement, such as an unknown chunk type or op
 * action. Nothing was changed.
 */
public class UnsupportedFormatException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatException(String message) {
    super(message);
  }
}
