package dev.converge.repo.sqlite;

import dev.converge.core.ChangeHash;
import dev.converge.repo.spi.ChangeBytes;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the log and snapshots, shared by the reader and writer connections.
 *
 * <p>Every log entry read is checked before it is handed out: its bytes hash to its hash, and it
 * names a document the store holds (a row in {@code docs}). The hash covers the change, not the
 * {@code doc} column beside it, and SQLite does not notice a flipped bit in either: without the
 * second check a change could be served under another document's name.
 */
final class LogSql {
  /** A column that is 1 when the log entry's document has its row in {@code docs}. */
  private static final String DOCUMENT_KNOWN =
      "EXISTS (SELECT 1 FROM docs WHERE docs.id = log.doc)";

  private LogSql() {}

  static List<LogRecord> readLog(Connection connection, long afterOffset, int limit)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT log_offset, doc, hash, bytes, "
                + DOCUMENT_KNOWN
                + " FROM log"
                + " WHERE log_offset > ? ORDER BY log_offset LIMIT ?")) {
      statement.setLong(1, afterOffset);
      statement.setInt(2, limit);
      return records(statement);
    }
  }

  /** The log entries of one document at offsets in {@code (afterOffset, upToOffset]}. */
  static List<LogRecord> readDocument(
      Connection connection, String documentId, long afterOffset, long upToOffset)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT log_offset, doc, hash, bytes, "
                + DOCUMENT_KNOWN
                + " FROM log"
                + " WHERE doc = ? AND log_offset > ? AND log_offset <= ? ORDER BY log_offset")) {
      statement.setString(1, documentId);
      statement.setLong(2, afterOffset);
      statement.setLong(3, upToOffset);
      return records(statement);
    }
  }

  /**
   * What the log held for a document when its last append committed: its change count and heads.
   */
  static Optional<Recorded> recorded(Connection connection, String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT change_count, heads FROM docs WHERE id = ?")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Recorded(
                rows.getLong(1), Heads.fromJson(rows.getString(2), "document " + documentId)));
      }
    }
  }

  /** A document's change count and heads as recorded with its last append. */
  record Recorded(long changeCount, List<ChangeHash> heads) {}

  /**
   * The highest offset ever given to a log entry (AUTOINCREMENT's high-water mark, which deletes
   * never lower); 0 for an empty log.
   */
  static long highWaterOffset(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = 'log'");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  static Optional<Snapshot> snapshot(Connection connection, String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT log_offset, bytes FROM snapshots WHERE doc = ?")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next()
            ? Optional.of(new Snapshot(rows.getLong(1), rows.getBytes(2)))
            : Optional.empty();
      }
    }
  }

  static long endOffset(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT coalesce(max(log_offset), 0) FROM log");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static long consumerOffset(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT log_offset FROM consumers WHERE name = ?")) {
      statement.setString(1, name);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  static void setConsumerOffset(Connection connection, String name, long offset)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO consumers(name, log_offset) VALUES (?, ?)"
                + " ON CONFLICT(name) DO UPDATE SET log_offset = excluded.log_offset")) {
      statement.setString(1, name);
      statement.setLong(2, offset);
      statement.executeUpdate();
    }
  }

  /**
   * Whether the log holds entries of {@code documentId}: a document the store does not list may
   * still have them when its row in {@code docs} was damaged.
   */
  static boolean hasEntries(Connection connection, String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM log WHERE doc = ? LIMIT 1")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  static List<String> documentIds(Connection connection) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT id FROM docs ORDER BY id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  /** A value read from a damaged row, for a message: quoted, at most 40 characters, escaped. */
  static String quoted(String value) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < Math.min(40, value.length()); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '\'' || c == '\\') {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(value.length() > 40 ? "'…" : "'").toString();
  }

  private static List<LogRecord> records(PreparedStatement statement) throws SQLException {
    List<LogRecord> records = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        long offset = rows.getLong(1);
        byte[] hash = rows.getBytes(3);
        byte[] bytes = rows.getBytes(4);
        if (hash == null || hash.length != ChangeHash.LENGTH || bytes == null) {
          throw new CorruptStoreException("log entry " + offset + " has no valid hash or bytes");
        }
        ChangeHash expected = ChangeHash.of(hash);
        ChangeBytes.verify(expected, bytes, "log offset " + offset);
        String documentId = rows.getString(2);
        if (documentId == null || !rows.getBoolean(5)) {
          throw new CorruptStoreException(
              "log entry "
                  + offset
                  + " names document "
                  + quoted(String.valueOf(documentId))
                  + ", which the store does not hold");
        }
        records.add(new LogRecord(offset, documentId, expected, bytes));
      }
    }
    return records;
  }
}
