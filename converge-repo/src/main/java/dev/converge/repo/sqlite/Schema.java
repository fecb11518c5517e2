package dev.converge.repo.sqlite;

import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.UnsupportedSchemaVersionException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a store, version {@value #VERSION}. {@code log} is the truth; {@code snapshots},
 * {@code documents}, {@code documents_fts} and the {@code view_*} tables are derived from it.
 * {@code log_offset} is an AUTOINCREMENT key, so an offset is never reused, even after a delete.
 */
final class Schema {
  static final long VERSION = 1;

  private static final String[] CREATE = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE docs(id TEXT PRIMARY KEY)",
    "CREATE TABLE log(log_offset INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL,"
        + " hash BLOB NOT NULL, bytes BLOB NOT NULL, UNIQUE(doc, hash))",
    "CREATE INDEX log_by_doc ON log(doc, log_offset)",
    "CREATE TABLE snapshots(doc TEXT PRIMARY KEY, log_offset INTEGER NOT NULL, bytes BLOB NOT NULL)",
    "CREATE TABLE consumers(name TEXT PRIMARY KEY, log_offset INTEGER NOT NULL)",
    "CREATE TABLE documents(id TEXT PRIMARY KEY, heads TEXT NOT NULL, value TEXT NOT NULL,"
        + " log_offset INTEGER NOT NULL)",
    "CREATE TABLE view_definitions(name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE documents_fts USING fts5(doc UNINDEXED, path UNINDEXED, body)",
    "INSERT INTO meta(key, value) VALUES ('schema_version', " + VERSION + "), ('open', 0)",
  };

  private Schema() {}

  /**
   * Creates the tables in an empty database, or checks the version of an existing one, writing
   * nothing then. Returns whether the store was left open by a process that did not close it.
   *
   * @throws UnsupportedSchemaVersionException if the store has another schema version
   * @throws CorruptStoreException if the file holds tables but no Converge schema
   */
  static boolean createOrCheck(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      boolean hasMeta;
      int tables;
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT count(*), count(*) FILTER (WHERE name = 'meta') FROM sqlite_master")) {
        rows.next();
        tables = rows.getInt(1);
        hasMeta = rows.getInt(2) == 1;
      }
      if (!hasMeta) {
        if (tables > 0) {
          throw new CorruptStoreException("the database holds tables but is not a Converge store");
        }
        for (String sql : CREATE) {
          statement.execute(sql);
        }
        connection.commit();
        return false;
      }
      long version = metaValue(statement, "schema_version");
      if (version != VERSION) {
        throw new UnsupportedSchemaVersionException(version, VERSION);
      }
      return metaValue(statement, "open") != 0;
    }
  }

  private static long metaValue(Statement statement, String key) throws SQLException {
    try (ResultSet rows =
        statement.executeQuery("SELECT value FROM meta WHERE key = '" + key + "'")) {
      if (!rows.next()) {
        throw new CorruptStoreException("the store's meta table lacks '" + key + "'");
      }
      return rows.getLong(1);
    }
  }
}
