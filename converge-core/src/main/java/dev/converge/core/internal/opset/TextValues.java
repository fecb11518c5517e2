package dev.converge.core.internal.opset;

import dev.converge.core.ConvergeException;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import java.util.OptionalInt;

/** The strings a local transaction writes: checked to be valid UTF-16, and split by character. */
final class TextValues {
  // The shared values ScalarValue.str gives, looked up by code point without making a string.
  private static final ScalarValue.Str[] ASCII = new ScalarValue.Str[128];

  static {
    for (int c = 0; c < ASCII.length; c++) {
      ASCII[c] = ScalarValue.str(String.valueOf((char) c));
    }
  }

  private TextValues() {}

  /**
   * Returns {@code text}, rejecting it if it is not valid UTF-16: a lone surrogate has no UTF-8
   * encoding, so the change would not say what this replica applied.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT naming {@code what} and the index
   */
  static String wellFormed(String text, String what) {
    OptionalInt lone = TextUnit.loneSurrogateIndex(text);
    if (lone.isPresent()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          what + " has a lone surrogate at index " + lone.getAsInt());
    }
    return text;
  }

  /** The character (code point) of {@code text} that starts at {@code index}, as a value. */
  static ScalarValue.Str characterAt(String text, int index) {
    int codePoint = text.codePointAt(index);
    return codePoint < ASCII.length
        ? ASCII[codePoint]
        : ScalarValue.str(text.substring(index, index + Character.charCount(codePoint)));
  }
}
