package dev.converge.core.internal.opset;

import dev.converge.core.CharacterSplitException;
import dev.converge.core.ObjId;
import dev.converge.core.TextUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The message of a {@link CharacterSplitException}: which position, which character, where. */
final class TextPositions {
  private static final int CODE_POINTS_SHOWN = 4;

  private TextPositions() {}

  /**
   * A position {@code index} of {@code obj} that falls {@code offset} units into an element of
   * {@code width} units showing {@code shown}.
   */
  static CharacterSplitException split(
      ObjId obj, long index, TextUnit unit, @Nullable Op shown, int offset, int width) {
    long start = index - offset;
    return new CharacterSplitException(
        index,
        unit,
        "index "
            + index
            + " of text "
            + obj
            + " falls inside "
            + describe(shown)
            + " at "
            + start
            + ".."
            + (start + width)
            + " ("
            + unit.description()
            + "); expected "
            + start
            + " or "
            + (start + width));
  }

  /** A character as U+XXXX, up to a few code points of a longer string element. */
  private static String describe(@Nullable Op shown) {
    if (shown == null) {
      return "nothing";
    }
    String value = shown.shownString();
    if (value == null) {
      return "an object (U+FFFC)";
    }
    StringBuilder text = new StringBuilder();
    int shownCount = 0;
    for (int i = 0; i < value.length(); shownCount++) {
      if (shownCount == CODE_POINTS_SHOWN) {
        text.append(" ...");
        break;
      }
      int codePoint = value.codePointAt(i);
      text.append(shownCount == 0 ? "" : " ")
          .append(String.format(Locale.ROOT, "U+%04X", codePoint));
      i += Character.charCount(codePoint);
    }
    return text.toString();
  }
}
