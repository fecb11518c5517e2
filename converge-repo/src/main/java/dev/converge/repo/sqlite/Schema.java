package dev.converge.repo.sqlite;

import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.MalformedStoreException;
import dev.converge.repo.spi.UnsupportedSchemaVersionException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a store, version {@value #VERSION}. {@code log} is the truth; {@code snapshots},
 * {@code documents}, {@code documents_fts} (with {@code documents_fts_rows}, which maps a document
 * to its FTS rows so they are replaced without scanning the index) and the {@code view_*} tables
 * are derived from it. {@code log_offset} is an AUTOINCREMENT key, so an offset is never reused,
 * even after a delete.
 *
 * <p>{@code docs.change_count} and {@code docs.heads} are what the log held for the document when
 * its last append committed, written in the same transaction as the log rows: a load that finds
 * fewer changes, or lacks a recorded head, has found a store that lost acknowledged changes.
 *
 * <p>Duplicates are found by {@code UNIQUE(doc, actor, seq)}, not by the change hash: a (actor,
 * seq) pair names one change (G2), and since an actor's changes come in seq order, the index grows
 * at the end of each (document, actor) range, so a commit dirties a few index pages. An index on
 * the hash (random keys) dirtied one page per change and cost four times the throughput. A lookup
 * by hash ({@link LogState}'s dependency check, rare) scans the document's rows instead.
 *
 * <p>{@code purged} remembers every purged document ID ({@link Purge}) with whether its wipe
 * finished; the full-text index is made with FTS5's {@code secure-delete} option, so deleting a row
 * removes its terms from the index instead of leaving them behind a delete marker until a merge.
 *
 * <p>{@code forwards} holds the link each compaction leaves from a document to its successor
 * ({@link Forwards}); it outlives the purge of the old document. {@code replicas} and {@code
 * touched} are a sync server's bookkeeping ({@link Tracking}): which peers hold each document, and
 * when each was last used. Both hold IDs and times only, never content, and a purge deletes a
 * document's rows.
 *
 * <p>Versions 2 (before purge) and 3 (before compaction) are upgraded in place on open, each in one
 * transaction. Version 1 (an unreleased development schema) is refused like any unknown version.
 */
final class Schema {
  static final long VERSION = 4;

  private static final String PURGED =
      "CREATE TABLE purged(id TEXT PRIMARY KEY, wiped INTEGER NOT NULL DEFAULT 0)";
  private static final String FORWARDS =
      "CREATE TABLE forwards(id TEXT PRIMARY KEY, successor TEXT NOT NULL, heads TEXT NOT NULL)";
  private static final String REPLICAS =
      "CREATE TABLE replicas(doc TEXT NOT NULL, replica TEXT NOT NULL, PRIMARY KEY(doc, replica))"
          + " WITHOUT ROWID";
  private static final String TOUCHED =
      "CREATE TABLE touched(doc TEXT PRIMARY KEY, epoch_millis INTEGER NOT NULL)";
  private static final String FTS_SECURE_DELETE =
      "INSERT INTO documents_fts(documents_fts, rank) VALUES ('secure-delete', 1)";

  private static final String FTS_ROWS =
      "CREATE TABLE documents_fts_rows(doc TEXT NOT NULL, fts_rowid INTEGER NOT NULL)";
  private static final String FTS_ROWS_INDEX =
      "CREATE INDEX documents_fts_rows_by_doc ON documents_fts_rows(doc)";

  private static final String[] CREATE = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE docs(id TEXT PRIMARY KEY, change_count INTEGER NOT NULL DEFAULT 0,"
        + " heads TEXT NOT NULL DEFAULT '[]')",
    "CREATE TABLE log(log_offset INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL,"
        + " hash BLOB NOT NULL, bytes BLOB NOT NULL, actor BLOB NOT NULL, seq INTEGER NOT NULL,"
        + " UNIQUE(doc, actor, seq))",
    "CREATE INDEX log_by_doc ON log(doc, log_offset)",
    "CREATE TABLE snapshots(doc TEXT PRIMARY KEY, log_offset INTEGER NOT NULL, bytes BLOB NOT NULL)",
    "CREATE TABLE consumers(name TEXT PRIMARY KEY, log_offset INTEGER NOT NULL)",
    "CREATE TABLE documents(id TEXT PRIMARY KEY, heads TEXT NOT NULL, value TEXT NOT NULL,"
        + " log_offset INTEGER NOT NULL)",
    "CREATE TABLE view_definitions(name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE documents_fts USING fts5(doc UNINDEXED, path UNINDEXED, body)",
    FTS_ROWS,
    FTS_ROWS_INDEX,
    PURGED,
    FORWARDS,
    REPLICAS,
    TOUCHED,
    FTS_SECURE_DELETE,
    "INSERT INTO meta(key, value) VALUES ('schema_version', " + VERSION + "), ('open', 0)",
  };

  private Schema() {}

  /**
   * Creates the tables in an empty database, or checks the version of an existing one, writing
   * nothing then unless it upgrades a version 2 store. Returns whether the store was left open by a
   * process that did not close it.
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
      if (version == 2) {
        upgradeFromVersion2(connection, statement);
        version = 3;
      }
      if (version == 3) {
        upgradeFromVersion3(connection, statement);
        version = VERSION;
      }
      if (version != VERSION) {
        throw new UnsupportedSchemaVersionException(version, VERSION);
      }
      return metaValue(statement, "open") != 0;
    }
  }

  /** Version 3 added the purged table and the full-text index's secure-delete option. */
  private static void upgradeFromVersion2(Connection connection, Statement statement)
      throws SQLException {
    statement.execute(PURGED);
    statement.execute(FTS_SECURE_DELETE);
    statement.execute("INSERT INTO meta(key, value) VALUES ('" + Purge.VACUUM_DUE + "', 1)");
    statement.execute("UPDATE meta SET value = 3 WHERE key = 'schema_version'");
    connection.commit();
  }

  /** Version 4 added the forwards, replicas and touched tables. */
  private static void upgradeFromVersion3(Connection connection, Statement statement)
      throws SQLException {
    statement.execute(FORWARDS);
    statement.execute(REPLICAS);
    statement.execute(TOUCHED);
    statement.execute("UPDATE meta SET value = 4 WHERE key = 'schema_version'");
    connection.commit();
  }

  private static long metaValue(Statement statement, String key) throws SQLException {
    try (ResultSet rows =
        statement.executeQuery("SELECT value FROM meta WHERE key = '" + key + "'")) {
      if (!rows.next()) {
        // The meta table is there, so this is a Converge store, damaged.
        throw new MalformedStoreException("the store's meta table lacks '" + key + "'");
      }
      return rows.getLong(1);
    }
  }
}
