package dev.converge.net.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What {@link ClientText} keeps, escapes and cuts, case by case. */
class ClientTextTest {
  @Test
  void escape_lineBreaksTabsAndBackslash_asInJavaSource() {
    assertEquals("a\\nb\\rc\\td\\\\e", ClientText.escape("a\nb\rc\td\\e", 100));
  }

  @Test
  void escape_controlFormatAndSeparatorCharacters_asUnicodeEscapes() {
    assertEquals("\\u0000\\u001b[2J", ClientText.escape("\0\u001b[2J", 100));
    assertEquals(
        "\\u202eevil\\u2028\\u2029\\u200b", ClientText.escape("\u202eevil\u2028\u2029\u200b", 100));
    assertEquals("\\u0085\\u007f", ClientText.escape("\u0085\u007f", 100));
  }

  @Test
  void escape_loneSurrogate_isEscaped_pairIsKept() {
    assertEquals("\\ud800x", ClientText.escape("\ud800x", 100));
    assertEquals("smile \ud83d\ude00", ClientText.escape("smile \ud83d\ude00", 100));
  }

  @Test
  void escape_longText_isCutAndTheRestCounted() {
    assertEquals("abc…(+3 chars)", ClientText.escape("abcdef", 3));
    assertEquals("abc", ClientText.escape("abc", 3));
  }

  @Test
  void escape_cutInsideASurrogatePair_stopsBeforeIt() {
    assertEquals("a…(+2 chars)", ClientText.escape("a\ud83d\ude00", 2));
  }

  @Test
  void escape_null_isADash_nonPositiveBound_isRefused() {
    assertEquals("-", ClientText.escape(null, 5));
    assertThrows(IllegalArgumentException.class, () -> ClientText.escape("x", 0));
  }

  @Test
  void cut_keepsCharactersAsTheyAre_forAReasonEscapedAsAWhole() {
    String cut = ClientText.cut("line\n" + "x".repeat(100));
    assertEquals("line\n" + "x".repeat(ClientText.VALUE_CHARS_MAX - 5) + "…(+41 chars)", cut);
    assertEquals("got line\\nxx", ClientText.reason("got " + "line\nxx"));
  }
}
