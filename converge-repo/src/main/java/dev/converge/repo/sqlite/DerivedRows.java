package dev.converge.repo.sqlite;

import dev.converge.core.Document;
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
 * The rows derived from a document's whole state: its row in {@code documents} (heads, value as
 * JSON, the offset of its last log entry), one full-text row per string in its value, and its row
 * in each user view. Rows are recomputed from the whole state, never patched, so writing them twice
 * gives the same rows, and a rebuild from the log gives identical ones.
 *
 * <p>Used by the writer thread only, inside its transactions.
 */
final class DerivedRows {
  private final Connection connection;
  private final Map<String, ViewDefinition> views = new LinkedHashMap<>();

  DerivedRows(Connection connection) {
    this.connection = connection;
  }

  /** Rereads the view definitions from the database. */
  void reloadDefinitions() throws SQLException {
    views.clear();
    for (ViewDefinition definition : ViewDefinitions.readAll(connection)) {
      views.put(definition.name(), definition);
    }
  }

  /** Declares a view and fills it from the rows of {@code documents}. */
  void defineView(ViewDefinition definition) throws SQLException {
    ViewDefinitions.create(connection, definition);
    views.put(definition.name(), definition);
    ViewDefinitions.fill(connection, definition, Optional.empty());
  }

  boolean dropView(String name) throws SQLException {
    ViewDefinition removed = views.remove(name);
    if (removed == null) {
      return false;
    }
    ViewDefinitions.drop(connection, removed);
    return true;
  }

  /** Rewrites every row of {@code documentId}, as of log offset {@code end}. */
  void write(String documentId, Document document, long end) throws SQLException {
    String value = document.toJson();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO documents(id, heads, value, log_offset)"
                + " SELECT ?, ?, ?, max(log_offset) FROM log WHERE doc = ? AND log_offset <= ?"
                + " ON CONFLICT(id) DO UPDATE SET heads = excluded.heads,"
                + " value = excluded.value, log_offset = excluded.log_offset")) {
      statement.setString(1, documentId);
      statement.setString(2, Heads.toJson(document.heads()));
      statement.setString(3, value);
      statement.setString(4, documentId);
      statement.setLong(5, end);
      statement.executeUpdate();
    }
    writeFullText(documentId, value);
    for (ViewDefinition view : views.values()) {
      ViewDefinitions.fill(connection, view, Optional.of(documentId));
    }
  }

  /** Removes every row of a deleted document. */
  void delete(String documentId) throws SQLException {
    execute("DELETE FROM documents WHERE id = ?", documentId);
    deleteFullText(documentId);
    for (ViewDefinition view : views.values()) {
      execute("DELETE FROM \"" + view.tableName() + "\" WHERE doc_id = ?", documentId);
    }
  }

  /** Empties every derived table, snapshots included, for a rebuild from the log. */
  void deleteAll() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM snapshots");
      statement.execute("DELETE FROM documents");
      statement.execute("DELETE FROM documents_fts");
      statement.execute("DELETE FROM documents_fts_rows");
      for (ViewDefinition view : views.values()) {
        statement.execute("DELETE FROM \"" + view.tableName() + "\"");
      }
    }
  }

  /** One FTS row per string in the value, each remembered in documents_fts_rows by rowid. */
  private void writeFullText(String documentId, String value) throws SQLException {
    deleteFullText(documentId);
    List<String[]> strings = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT fullkey, atom FROM json_tree(?) WHERE type = 'text' ORDER BY id")) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          strings.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
    }
    if (strings.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO documents_fts(doc, path, body) VALUES (?, ?, ?)");
        PreparedStatement remember =
            connection.prepareStatement(
                "INSERT INTO documents_fts_rows(doc, fts_rowid) VALUES (?, last_insert_rowid())")) {
      for (String[] string : strings) {
        insert.setString(1, documentId);
        insert.setString(2, string[0]);
        insert.setString(3, string[1]);
        insert.executeUpdate();
        remember.setString(1, documentId);
        remember.executeUpdate();
      }
    }
  }

  private void deleteFullText(String documentId) throws SQLException {
    execute(
        "DELETE FROM documents_fts WHERE rowid IN"
            + " (SELECT fts_rowid FROM documents_fts_rows WHERE doc = ?)",
        documentId);
    execute("DELETE FROM documents_fts_rows WHERE doc = ?", documentId);
  }

  private void execute(String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      statement.executeUpdate();
    }
  }
}
