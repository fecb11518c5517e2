package dev.converge.trace;

/**
 * A replay ended with a text other than the trace's {@code endContent}: the engine (or the adapter)
 * has a bug. The message names the first differing index and shows the text around it.
 */
public final class TextMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private TextMismatchException(String message) {
    super(message);
  }

  /**
   * Checks that {@code actual} equals {@code expected}.
   *
   * @throws TextMismatchException if they differ
   */
  public static void check(String what, String expected, String actual) {
    if (expected.equals(actual)) {
      return;
    }
    int common = Math.min(expected.length(), actual.length());
    int index = 0;
    while (index < common && expected.charAt(index) == actual.charAt(index)) {
      index++;
    }
    throw new TextMismatchException(
        what
            + ": final text differs from endContent at index "
            + index
            + " (expected length "
            + expected.length()
            + ", found "
            + actual.length()
            + "): expected \""
            + excerpt(expected, index)
            + "\", found \""
            + excerpt(actual, index)
            + "\"");
  }

  private static String excerpt(String text, int index) {
    int from = Math.max(0, index - 20);
    int to = Math.min(text.length(), index + 20);
    return text.substring(from, to).replace("\n", "\\n");
  }
}
