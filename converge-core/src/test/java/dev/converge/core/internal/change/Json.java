package dev.converge.core.internal.change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON reader for the test vectors' expectation files: objects become {@link Map}s in file
 * order, arrays {@link List}s, integers {@link Long}, other numbers {@link Double}. Test-only; it
 * trusts its input.
 */
public final class Json {
  private final String text;
  private int position;

  private Json(String text) {
    this.text = text;
  }

  public static @Nullable Object parse(String text) {
    Json json = new Json(text);
    Object value = json.value();
    json.whitespace();
    if (json.position != text.length()) {
      throw new IllegalArgumentException("trailing JSON at " + json.position);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(@Nullable Object value) {
    return (Map<String, Object>) Objects.requireNonNull(value, "JSON object");
  }

  @SuppressWarnings("unchecked")
  public static List<Object> array(@Nullable Object value) {
    return (List<Object>) Objects.requireNonNull(value, "JSON array");
  }

  private @Nullable Object value() {
    whitespace();
    char c = text.charAt(position);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", true);
      case 'f':
        return literal("false", false);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private @Nullable Object literal(String word, @Nullable Object value) {
    if (!text.startsWith(word, position)) {
      throw new IllegalArgumentException("bad JSON literal at " + position);
    }
    position += word.length();
    return value;
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    position++;
    whitespace();
    if (text.charAt(position) == '}') {
      position++;
      return map;
    }
    while (true) {
      whitespace();
      String key = string();
      whitespace();
      expect(':');
      map.put(key, value());
      whitespace();
      if (text.charAt(position) == ',') {
        position++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    position++;
    whitespace();
    if (text.charAt(position) == ']') {
      position++;
      return list;
    }
    while (true) {
      list.add(value());
      whitespace();
      if (text.charAt(position) == ',') {
        position++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = text.charAt(position++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escaped = text.charAt(position++);
      switch (escaped) {
        case 'n':
          out.append('\n');
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'u':
          out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
          position += 4;
          break;
        default:
          out.append(escaped);
      }
    }
  }

  private Object number() {
    int start = position;
    while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
    String number = text.substring(start, position);
    if (number.isEmpty()) {
      throw new IllegalArgumentException("bad JSON at " + start);
    }
    if (number.contains(".") || number.contains("e") || number.contains("E")) {
      return Double.parseDouble(number);
    }
    return Long.parseLong(number);
  }

  private void expect(char c) {
    if (text.charAt(position) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + position);
    }
    position++;
  }

  private void whitespace() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
  }
}
