package dev.converge.repo.sealed;

import java.util.Locale;

/** An offending value from outside for an error message: quoted, escaped and truncated. */
final class Quote {
  static final int CHARS_MAX = 80;

  private Quote() {}

  static String of(String value) {
    StringBuilder quoted = new StringBuilder("'");
    int end = Math.min(value.length(), CHARS_MAX);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append('\'');
    if (value.length() > end) {
      quoted.append("... (").append(value.length()).append(" characters)");
    }
    return quoted.toString();
  }
}
