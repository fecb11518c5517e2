package dev.converge.core.internal.opset;

import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import org.jspecify.annotations.Nullable;

/**
 * The width of one sequence element in each {@link TextUnit}, kept as a one-byte code on the
 * element: nearly every text element is one code point, whose three widths follow from its UTF-8
 * length alone, so the element stores which of those it is rather than three counts. Anything else
 * (a string element of several code points, which only a remote op can make) is {@link #OTHER}, and
 * the {@link SeqTree} keeps its three widths aside.
 *
 * <p>A list element counts 1 in every unit; so does a list's or text's invisible element 0. An
 * element of a text that is not a string shows U+FFFC and counts as that character does.
 */
final class TextWidths {
  /** Not visible, or an empty string: 0 in every unit. */
  static final byte NONE = 0;

  /** A list element, or a code point below U+0080: 1 in every unit. */
  static final byte ONE_BYTE = 1;

  /** A code point from U+0080 to U+07FF: 1 UTF-16 unit, 1 code point, 2 UTF-8 bytes. */
  static final byte TWO_BYTES = 2;

  /** A code point from U+0800 to U+FFFF, U+FFFC for a non-string in text: 1, 1 and 3. */
  static final byte THREE_BYTES = 3;

  /** A code point above U+FFFF, a surrogate pair in UTF-16: 2, 1 and 4. */
  static final byte FOUR_BYTES = 4;

  /** Any other string: the widths are kept by the tree. */
  static final byte OTHER = 5;

  /** How many units there are: the length of an array indexed by {@link #index}. */
  static final int UNITS = 3;

  // [unit index][code]; OTHER has no entry.
  private static final int[][] BY_CODE = {
    {0, 1, 1, 1, 2}, {0, 1, 1, 1, 1}, {0, 1, 2, 3, 4},
  };

  private TextWidths() {}

  /** The index of {@code unit} in arrays of per-unit widths, 0 to {@link #UNITS} - 1. */
  static int index(TextUnit unit) {
    switch (unit) {
      case UTF16:
        return 0;
      case CODE_POINT:
        return 1;
      case UTF8:
        return 2;
      default:
        throw new AssertionError(unit);
    }
  }

  /** The unit at {@code index}. */
  static TextUnit unit(int index) {
    return UNIT_BY_INDEX[index];
  }

  private static final TextUnit[] UNIT_BY_INDEX = {
    TextUnit.UTF16, TextUnit.CODE_POINT, TextUnit.UTF8
  };

  /** The width of an element of {@code code} (not {@link #OTHER}) in the unit at {@code unit}. */
  static int width(byte code, int unit) {
    return BY_CODE[unit][code];
  }

  /**
   * The code of an element that shows {@code shown} (null when it shows nothing) in a text ({@code
   * text}) or a list.
   */
  static byte codeOf(@Nullable Op shown, boolean text) {
    if (shown == null) {
      return NONE;
    }
    if (!text) {
      return ONE_BYTE;
    }
    String string = shown.shownString();
    return string != null ? codeOf(string) : THREE_BYTES;
  }

  /** The code of a string element: by its one code point, {@link #OTHER} for any other length. */
  static byte codeOf(String value) {
    int length = value.length();
    if (length == 1) {
      char c = value.charAt(0);
      return c < 0x80 ? ONE_BYTE : c < 0x800 ? TWO_BYTES : THREE_BYTES;
    }
    if (length == 2
        && Character.isHighSurrogate(value.charAt(0))
        && Character.isLowSurrogate(value.charAt(1))) {
      return FOUR_BYTES;
    }
    return length == 0 ? NONE : OTHER;
  }

  /** The width of an element showing {@code shown} in a text or list, computed from its value. */
  static int widthOf(@Nullable Op shown, boolean text, TextUnit unit) {
    byte code = codeOf(shown, text);
    // Only a shown string is OTHER.
    if (code != OTHER || shown == null) {
      return width(code, index(unit));
    }
    return unit.length(((ScalarValue.Str) shown.value).value());
  }

  /** The three widths of an {@link #OTHER} element, by unit {@link #index}. */
  static int[] otherWidths(Op shown) {
    String value = ((ScalarValue.Str) shown.value).value();
    int[] widths = new int[UNITS];
    for (int unit = 0; unit < UNITS; unit++) {
      widths[unit] = unit(unit).length(value);
    }
    return widths;
  }
}
