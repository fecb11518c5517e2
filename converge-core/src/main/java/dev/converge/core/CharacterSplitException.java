package dev.converge.core;

/**
 * A text position falls inside one character in the unit it counts: the second half of a surrogate
 * pair in {@link TextUnit#UTF16}, or a continuation byte in {@link TextUnit#UTF8}. Automerge stores
 * text as whole code points, so no edit, cursor or range can start or end there. Nothing was
 * changed.
 */
public class CharacterSplitException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  private final long index;
  private final TextUnit unit;

  /**
   * @param index the refused position
   * @param unit the unit {@code index} counts
   * @param message the one-line message, naming the object and the character
   */
  public CharacterSplitException(long index, TextUnit unit, String message) {
    super(Kind.INVALID_ARGUMENT, message);
    this.index = index;
    this.unit = unit;
  }

  /** The refused position. */
  public long index() {
    return index;
  }

  /** The unit the position counts. */
  public TextUnit unit() {
    return unit;
  }
}
