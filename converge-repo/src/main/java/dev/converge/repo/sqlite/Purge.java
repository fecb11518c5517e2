package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Purge of a document from the SQLite store, in two steps.
 *
 * <p>Step one, in an ordinary write transaction: the document's log rows, snapshot and derived rows
 * (view rows, full-text entries) are deleted, and its ID is inserted into {@code purged} with
 * {@code wiped = 0}. The write connection runs with {@code PRAGMA secure_delete = ON}, so SQLite
 * overwrites the freed cells and pages with zeros, and the full-text index has FTS5's {@code
 * secure-delete} option, so its terms go too. Either the whole step commits or none of it.
 *
 * <p>Step two, outside any transaction ({@link #wipe}): {@code PRAGMA wal_checkpoint(TRUNCATE)}
 * copies the WAL into the file and truncates the WAL to zero bytes, so the page images the WAL held
 * (older versions of every page it touched) are gone. Only then is {@code wiped} set. A process
 * that dies between the steps leaves {@code wiped = 0}, and the next open runs step two before
 * anything else ({@link #wipeIfUnfinished}).
 *
 * <p>Why no VACUUM: with {@code secure_delete} on since the store was created, every earlier
 * version of the document's rows (a snapshot rewritten, a view row replaced) was zeroed when it was
 * replaced, and the canary test ({@code RepoPurgeTest}) finds nothing after step two; with {@code
 * secure_delete} off, 7 copies survived in the file whether the WAL was truncated or not. A store
 * upgraded from version 2 ran without it, so its first purge runs {@code VACUUM} before the
 * checkpoint ({@link #VACUUM_DUE}), which rebuilds the file from live rows at a cost in proportion
 * to the whole store.
 */
final class Purge {
  /**
   * The meta key set on a store upgraded from version 2, whose free space may still hold rows
   * deleted or replaced without {@code secure_delete}: its first purge runs VACUUM.
   */
  static final String VACUUM_DUE = "vacuum_before_purge";

  private Purge() {}

  /** Every purged ID, read by the writer once when the store opens. */
  static Set<String> purgedIds(Connection connection) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM purged")) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  static boolean isPurged(Connection connection, String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM purged WHERE id = ?")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Step one's tombstone, in the caller's transaction. */
  static void remember(Connection connection, String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO purged(id, wiped) VALUES (?, 0) ON CONFLICT(id) DO UPDATE SET wiped = 0")) {
      statement.setString(1, documentId);
      statement.executeUpdate();
    }
  }

  /**
   * Step two. {@code connection} must be in autocommit mode: VACUUM cannot run in a transaction.
   *
   * @throws StorageException of kind IO if a reader kept the WAL from being truncated; the purge
   *     stays unfinished and is retried at the next purge or open
   */
  static void wipe(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      boolean vacuum = vacuumDue(statement);
      if (vacuum) {
        statement.execute("VACUUM");
      }
      try (ResultSet rows = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        rows.next();
        if (rows.getInt(1) != 0) {
          throw new StorageException(
              ConvergeException.Kind.IO,
              "purge: the WAL could not be truncated because a reader held it; the purged"
                  + " document is deleted, and its wipe is retried at the next purge or open");
        }
      }
      statement.executeUpdate("UPDATE purged SET wiped = 1 WHERE wiped = 0");
      if (vacuum) {
        statement.executeUpdate("UPDATE meta SET value = 0 WHERE key = '" + VACUUM_DUE + "'");
      }
    }
  }

  private static boolean vacuumDue(Statement statement) throws SQLException {
    try (ResultSet rows =
        statement.executeQuery("SELECT value FROM meta WHERE key = '" + VACUUM_DUE + "'")) {
      return rows.next() && rows.getLong(1) != 0;
    }
  }

  /** Runs step two at open when a process died before it finished. */
  static boolean wipeIfUnfinished(Connection connection) throws SQLException {
    boolean unfinished;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1 FROM purged WHERE wiped = 0 LIMIT 1")) {
      unfinished = rows.next();
    }
    if (!unfinished) {
      return false;
    }
    connection.commit();
    connection.setAutoCommit(true);
    try {
      wipe(connection);
    } finally {
      connection.setAutoCommit(false);
    }
    return true;
  }
}
