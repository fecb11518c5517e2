package dev.converge.repo.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.converge.core.ConvergeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user-defined view: every document whose value has something at {@code selectorPath} (equal to
 * {@code selectorEquals}, a JSON literal, when one is given) becomes one row of table {@code
 * view_NAME}, with a {@code doc_id} column and one column per entry of {@code columns}, filled from
 * the document's value at that JSON path (SQLite's {@code json_extract}).
 *
 * <p>Paths are SQLite JSON paths restricted to {@code $}, {@code .key} and {@code [index]} steps,
 * with keys of letters, digits and underscores; names are identifiers; {@code selectorEquals} is
 * exactly one JSON value (a string in double quotes). All are checked here, so a definition never
 * carries SQL of its own and never fails later in SQLite.
 */
public record ViewDefinition(
    String name,
    String selectorPath,
    Optional<String> selectorEquals,
    Map<String, String> columns) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
  private static final Pattern PATH = Pattern.compile("\\$(\\.[A-Za-z0-9_]+|\\[[0-9]{1,9}\\])*");
  private static final int COLUMNS_MAX = 64;
  private static final ObjectMapper STRICT_JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  public ViewDefinition {
    Objects.requireNonNull(selectorEquals, "selectorEquals");
    requireName("view name", name);
    requirePath(selectorPath);
    selectorEquals.ifPresent(ViewDefinition::requireJson);
    if (columns.isEmpty() || columns.size() > COLUMNS_MAX) {
      throw invalid("a view has 1.." + COLUMNS_MAX + " columns, found " + columns.size());
    }
    for (Map.Entry<String, String> column : columns.entrySet()) {
      requireName("column name", column.getKey());
      if (column.getKey().equalsIgnoreCase("doc_id")) {
        throw invalid("column name 'doc_id' is reserved for the document ID");
      }
      requirePath(column.getValue());
    }
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /** The table holding the view's rows. */
  public String tableName() {
    return "view_" + name;
  }

  private static void requireName(String what, String name) {
    if (!NAME.matcher(name).matches()) {
      throw invalid(what + " must match " + NAME.pattern() + ", found '" + name + "'");
    }
  }

  private static void requirePath(String path) {
    if (path.length() > 256 || !PATH.matcher(path).matches()) {
      throw invalid(
          "a JSON path is $ followed by .key or [index] steps, found '"
              + (path.length() > 80 ? path.substring(0, 80) + "…" : path)
              + "'");
    }
  }

  private static void requireJson(String literal) {
    try {
      STRICT_JSON.readTree(literal);
      if (!literal.isBlank()) {
        return;
      }
    } catch (JsonProcessingException e) {
      // Reported below, with a hint for the common mistake.
    }
    String shown = literal.length() > 80 ? literal.substring(0, 80) + "…" : literal;
    throw invalid(
        "the selector's value must be one JSON value (a string in double quotes, e.g. \"todo\"),"
            + " found '"
            + shown
            + "'");
  }

  private static ConvergeException invalid(String message) {
    return new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, message);
  }
}
