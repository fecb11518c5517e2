package dev.converge.net.server;

import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Text that came from a peer (a message type, a peer ID, a reason, an exception message quoting its
 * input), made safe for a log line or an error message sent back: cut to a bound, so that a 16 MiB
 * string costs no more than a short one, and escaped, so that a newline cannot forge a log line and
 * no control or invisible character (a bidirectional override, say) reaches a terminal. What is cut
 * is counted: {@code abc…(+12345 chars)}.
 *
 * <p>Escapes: {@code \n \r \t \\} as in Java source, every other control, format, line or paragraph
 * separator, private-use, unassigned or lone surrogate character as {@code \}{@code uXXXX}.
 *
 * <p>Thread-safety: stateless.
 */
final class ClientText {
  /** How much of one value from a peer a log line or an error message quotes. */
  static final int VALUE_CHARS_MAX = 64;

  /** How long a whole reason (ours, quoting a peer's values) may be in a log line or a reply. */
  static final int REASON_CHARS_MAX = 300;

  private ClientText() {}

  /** {@code text} cut to {@code charsMax} characters and escaped; {@code -} for null. */
  static String escape(@Nullable String text, int charsMax) {
    return render(text, charsMax, true);
  }

  /**
   * A value from a peer to quote inside a reason that is escaped as a whole where it is logged or
   * sent ({@link #reason}): cut to {@link #VALUE_CHARS_MAX}, not yet escaped (escaping twice would
   * show {@code \n} for a newline).
   */
  static String cut(@Nullable String text) {
    return render(text, VALUE_CHARS_MAX, false);
  }

  private static String render(@Nullable String text, int charsMax, boolean escape) {
    if (charsMax < 1) {
      throw new IllegalArgumentException("charsMax must be positive, was " + charsMax);
    }
    if (text == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), charsMax) + 16);
    int index = 0;
    while (index < text.length() && index < charsMax) {
      int codePoint = text.codePointAt(index);
      int width = Character.charCount(codePoint);
      if (index + width > charsMax) {
        break; // never half a surrogate pair
      }
      if (escape) {
        appendEscaped(out, codePoint);
      } else {
        out.appendCodePoint(codePoint);
      }
      index += width;
    }
    if (index < text.length()) {
      out.append("…(+").append(text.length() - index).append(" chars)");
    }
    return out.toString();
  }

  /** A value from a peer for a log line or message: escaped, at most {@link #VALUE_CHARS_MAX}. */
  static String value(@Nullable String text) {
    return escape(text, VALUE_CHARS_MAX);
  }

  /** A whole reason: escaped, at most {@link #REASON_CHARS_MAX}. */
  static String reason(@Nullable String text) {
    return escape(text, REASON_CHARS_MAX);
  }

  private static void appendEscaped(StringBuilder out, int codePoint) {
    switch (codePoint) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case '\\' -> out.append("\\\\");
      default -> {
        if (isVisible(codePoint)) {
          out.appendCodePoint(codePoint);
        } else if (Character.isBmpCodePoint(codePoint)) {
          appendUnicodeEscape(out, (char) codePoint);
        } else {
          appendUnicodeEscape(out, Character.highSurrogate(codePoint));
          appendUnicodeEscape(out, Character.lowSurrogate(codePoint));
        }
      }
    }
  }

  private static void appendUnicodeEscape(StringBuilder out, char unit) {
    out.append("\\u").append(HexFormat.of().toHexDigits(unit));
  }

  private static boolean isVisible(int codePoint) {
    switch (Character.getType(codePoint)) {
      case Character.CONTROL,
      Character.FORMAT,
      Character.LINE_SEPARATOR,
      Character.PARAGRAPH_SEPARATOR,
      Character.PRIVATE_USE,
      Character.SURROGATE,
      Character.UNASSIGNED:
        return false;
      default:
        return true;
    }
  }
}
