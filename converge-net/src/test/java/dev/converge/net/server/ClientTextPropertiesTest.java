package dev.converge.net.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * {@link ClientText#escape} over arbitrary strings, every UTF-16 unit included (lone surrogates,
 * controls, separators): its output is one line of visible characters, bounded by the cut, and
 * printable ASCII passes through unchanged. jqwik prints the seed of a failure; {@code
 * -Djqwik.seeds.whenfixed=...} or the seed in the report replays it.
 */
class ClientTextPropertiesTest {
  @Property(tries = 2000)
  void escape_isOneLineOfVisibleCharacters_boundedByTheCut(
      @ForAll @StringLength(max = 300) String text, @ForAll @IntRange(min = 1, max = 200) int max) {
    String escaped = ClientText.escape(text, max);
    for (int index = 0; index < escaped.length(); ) {
      int codePoint = escaped.codePointAt(index);
      int type = Character.getType(codePoint);
      assertTrue(
          type != Character.CONTROL
              && type != Character.FORMAT
              && type != Character.LINE_SEPARATOR
              && type != Character.PARAGRAPH_SEPARATOR
              && type != Character.SURROGATE
              && type != Character.UNASSIGNED
              && type != Character.PRIVATE_USE,
          "U+" + Integer.toHexString(codePoint) + " in " + escaped);
      index += Character.charCount(codePoint);
    }
    // Each character kept becomes at most 6 (\\uXXXX); the count of the rest is under 30.
    assertTrue(escaped.length() <= 6 * max + 30, escaped.length() + " for max " + max);
  }

  @Property(tries = 500)
  void escape_printableAsciiWithoutBackslash_isUnchanged(
      @ForAll @CharRange(from = ' ', to = '[') @StringLength(max = 200) String text) {
    assertEquals(text, ClientText.escape(text, 200));
  }
}
