package dev.converge.core;

import java.util.OptionalInt;

/**
 * How indexes and lengths into text are counted. A document counts in one unit (its {@link
 * DocumentOptions#textUnit()} or {@link LoadOptions#textUnit()}, UTF-16 by default, as JavaScript
 * Automerge does), and {@link ReadableDocument#inUnit} reads or edits it in another.
 *
 * <p>The unit changes only how positions are counted, never what is stored: every Unicode code
 * point of inserted text becomes one element, as Automerge stores text, whatever the unit. So
 * replicas that count in different units edit the same document and converge. A position that falls
 * inside a character in the unit used (the second half of a surrogate pair in UTF-16, or a
 * continuation byte in UTF-8) is refused with a {@link CharacterSplitException}.
 *
 * <p>Elements that are not strings (an object inserted into text) read as U+FFFC, and count as that
 * character does: 1, 1 and 3.
 */
public enum TextUnit {
  /**
   * UTF-16 code units, as Java strings and JavaScript count: U+1F600 (an emoji) counts 2, "é" 1.
   */
  UTF16,
  /**
   * Unicode code points, as the Rust, Swift and Python Automerge libraries and most editors count:
   * every character counts 1.
   */
  CODE_POINT,
  /** UTF-8 bytes, as network protocols count: "a" counts 1, "é" 2, "€" 3, U+1F600 4. */
  UTF8;

  /**
   * The length of {@code text} in this unit. A lone surrogate counts as a code point of 3 UTF-8
   * bytes, although documents refuse such strings.
   */
  public int length(CharSequence text) {
    switch (this) {
      case UTF16:
        return text.length();
      case CODE_POINT:
        return Character.codePointCount(text, 0, text.length());
      case UTF8:
        return utf8Length(text);
      default:
        throw new AssertionError(this);
    }
  }

  private static int utf8Length(CharSequence text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Where the first lone surrogate of {@code text} is (a surrogate not in a high-low pair), as a
   * UTF-16 index; empty when there is none. Documents refuse text with a lone surrogate: it has no
   * UTF-8 encoding, so a change holding it could not say what the replica applied.
   */
  public static OptionalInt loneSurrogateIndex(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** How the unit is named in messages: "UTF-16 code units", "code points", "UTF-8 bytes". */
  public String description() {
    switch (this) {
      case UTF16:
        return "UTF-16 code units";
      case CODE_POINT:
        return "code points";
      case UTF8:
        return "UTF-8 bytes";
      default:
        throw new AssertionError(this);
    }
  }
}
