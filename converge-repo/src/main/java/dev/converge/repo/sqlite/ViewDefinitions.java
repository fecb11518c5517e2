package dev.converge.repo.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.ViewDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * User views as SQL: each definition is stored as JSON in {@code view_definitions} and owns a table
 * {@code view_NAME(doc_id, columns...)} whose rows are computed from the {@code documents} table
 * with {@code json_extract}. Names and paths are validated by {@link ViewDefinition}, and paths are
 * bound as parameters, so no user text is spliced into SQL beyond checked identifiers.
 */
final class ViewDefinitions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ViewDefinitions() {}

  static List<ViewDefinition> readAll(Connection connection) throws SQLException {
    List<ViewDefinition> all = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT definition FROM view_definitions ORDER BY name")) {
      while (rows.next()) {
        all.add(fromJson(rows.getString(1)));
      }
    }
    return all;
  }

  /** The tables of the defined views. */
  static List<String> tableNames(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    for (ViewDefinition definition : readAll(connection)) {
      names.add(definition.tableName());
    }
    return names;
  }

  static void create(Connection connection, ViewDefinition definition) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS \"" + definition.tableName() + "\"");
      StringBuilder sql =
          new StringBuilder("CREATE TABLE \"")
              .append(definition.tableName())
              .append("\"(doc_id TEXT PRIMARY KEY");
      for (String column : definition.columns().keySet()) {
        sql.append(", \"").append(column).append('"');
      }
      statement.execute(sql.append(')').toString());
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO view_definitions(name, definition) VALUES (?, ?)"
                + " ON CONFLICT(name) DO UPDATE SET definition = excluded.definition")) {
      statement.setString(1, definition.name());
      statement.setString(2, toJson(definition));
      statement.executeUpdate();
    }
  }

  static void drop(Connection connection, ViewDefinition definition) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS \"" + definition.tableName() + "\"");
    }
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM view_definitions WHERE name = ?")) {
      statement.setString(1, definition.name());
      statement.executeUpdate();
    }
  }

  /** Recomputes the view's rows of one document, or of all documents when none is given. */
  static void fill(Connection connection, ViewDefinition definition, Optional<String> documentId)
      throws SQLException {
    String table = "\"" + definition.tableName() + "\"";
    try (PreparedStatement statement =
        connection.prepareStatement(
            "DELETE FROM " + table + (documentId.isPresent() ? " WHERE doc_id = ?" : ""))) {
      if (documentId.isPresent()) {
        statement.setString(1, documentId.get());
      }
      statement.executeUpdate();
    }
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append("(doc_id");
    StringBuilder select = new StringBuilder(" SELECT id");
    for (String column : definition.columns().keySet()) {
      sql.append(", \"").append(column).append('"');
      select.append(", json_extract(value, ?)");
    }
    sql.append(')').append(select).append(" FROM documents WHERE ");
    sql.append(
        definition.selectorEquals().isPresent()
            ? "json_extract(value, ?) = json_extract(?, '$')"
            : "json_extract(value, ?) IS NOT NULL");
    if (documentId.isPresent()) {
      sql.append(" AND id = ?");
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int index = 1;
      for (String path : definition.columns().values()) {
        statement.setString(index++, path);
      }
      statement.setString(index++, definition.selectorPath());
      if (definition.selectorEquals().isPresent()) {
        statement.setString(index++, definition.selectorEquals().get());
      }
      if (documentId.isPresent()) {
        statement.setString(index, documentId.get());
      }
      statement.executeUpdate();
    }
  }

  static String toJson(ViewDefinition definition) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", definition.name());
    node.put("selector", definition.selectorPath());
    definition.selectorEquals().ifPresent(value -> node.put("equals", value));
    ObjectNode columns = node.putObject("columns");
    definition.columns().forEach(columns::put);
    return node.toString();
  }

  static ViewDefinition fromJson(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      Map<String, String> columns = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> column : node.path("columns").properties()) {
        columns.put(column.getKey(), column.getValue().asText());
      }
      JsonNode equals = node.get("equals");
      return new ViewDefinition(
          node.path("name").asText(),
          node.path("selector").asText(),
          equals == null ? Optional.empty() : Optional.of(equals.asText()),
          columns);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new CorruptStoreException("a stored view definition is invalid: " + text, e);
    }
  }
}
