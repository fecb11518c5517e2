package dev.converge.repo.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * The connection user queries run on ({@link SqliteStorage#query}): opened at the first query with
 * SQLite's read-only flag and {@code query_only}, and allowed to attach no database, so no
 * statement it runs can write to any file.
 *
 * <p>Thread-safety: none; the storage calls it under its read lock.
 */
final class UserQueries {
  private final Path file;
  private @Nullable Connection connection;

  UserQueries(Path file) {
    this.file = file;
  }

  /** Runs the one read statement {@code statementText} and returns at most {@code rowsMax} rows. */
  List<Map<String, @Nullable Object>> run(String statementText, int rowsMax) throws SQLException {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    try (Statement statement = connection().createStatement()) {
      statement.setMaxRows(rowsMax);
      try (ResultSet rows = statement.executeQuery(statementText)) {
        ResultSetMetaData meta = rows.getMetaData();
        while (rows.next() && out.size() < rowsMax) {
          Map<String, @Nullable Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i), rows.getObject(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  void close() throws SQLException {
    Connection open = connection;
    if (open != null) {
      open.close();
    }
  }

  private Connection connection() throws SQLException {
    Connection open = connection;
    if (open == null) {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(10_000);
      open = config.createConnection("jdbc:sqlite:" + file);
      open.unwrap(SQLiteConnection.class).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
      try (Statement statement = open.createStatement()) {
        statement.execute("PRAGMA query_only = 1");
      }
      connection = open;
    }
    return open;
  }
}
