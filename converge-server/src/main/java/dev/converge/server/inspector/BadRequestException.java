package dev.converge.server.inspector;

import dev.converge.core.ConvergeException;

/**
 * A request to the inspector with a parameter it cannot use: answered 400 with the message, which
 * names the parameter, what was expected and what was found (truncated and escaped).
 */
final class BadRequestException extends ConvergeException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN_CHARS_MAX = 40;

  BadRequestException(String parameter, String expected, String found) {
    super(Kind.INVALID_ARGUMENT, parameter + ": expected " + expected + ", found " + shown(found));
  }

  BadRequestException(String parameter, String expected, String found, Throwable cause) {
    super(
        Kind.INVALID_ARGUMENT,
        parameter + ": expected " + expected + ", found " + shown(found),
        cause);
  }

  /** The value quoted, cut at {@value #SHOWN_CHARS_MAX} characters, controls escaped. */
  static String shown(String value) {
    StringBuilder out = new StringBuilder("'");
    int end = Math.min(value.length(), SHOWN_CHARS_MAX);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (value.length() > end) {
      out.append("... (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }
}
