package dev.converge.repo.sqlite;

import dev.converge.core.ChangeHash;
import dev.converge.repo.spi.ChangeBytes;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.MalformedStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scrub of the log: every entry is checked as a read checks it (its bytes hash to its hash, and
 * it names a document the store holds), and the entries that fail are deleted. SQLite does not
 * notice a flipped bit inside a row, so such an entry would otherwise make every read of its
 * document, or of the log, fail forever; deleted, it leaves its document short of a change, which a
 * repair from a peer puts back.
 *
 * <p>The documents short of changes are those whose entries were deleted, and those whose log now
 * holds fewer entries than the count recorded with their last append (an entry whose document name
 * was damaged belonged to one of them). Their snapshots are deleted too: a snapshot holds the
 * document's whole history, and would hide from the next load that its log is short; without it,
 * the load finds the loss and refuses the document until it is repaired.
 *
 * <p>Used by the writer thread, inside its transaction.
 */
final class LogScrub {
  private static final int ROWS_PER_READ = 1000;

  /**
   * What a scrub deleted.
   *
   * @param entriesDropped log entries deleted
   * @param documents the documents short of changes, in ID order, their snapshots deleted
   */
  record Result(int entriesDropped, List<String> documents) {
    Result {
      documents = List.copyOf(documents);
    }
  }

  private LogScrub() {}

  static Result run(Connection connection) throws SQLException {
    List<Long> damaged = new ArrayList<>();
    Set<String> documents = new TreeSet<>();
    long after = 0;
    while (true) {
      int rowsRead = 0;
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT log_offset, doc, hash, bytes,"
                  + " EXISTS (SELECT 1 FROM docs WHERE docs.id = log.doc)"
                  + " FROM log WHERE log_offset > ? ORDER BY log_offset LIMIT ?")) {
        statement.setLong(1, after);
        statement.setInt(2, ROWS_PER_READ);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            rowsRead++;
            after = rows.getLong(1);
            String documentId = rows.getString(2);
            boolean known = documentId != null && rows.getBoolean(5);
            if (!known || !intact(rows.getBytes(3), rows.getBytes(4))) {
              damaged.add(after);
              if (known) {
                documents.add(documentId);
              }
            }
          }
        }
      }
      if (rowsRead < ROWS_PER_READ) {
        break;
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM log WHERE log_offset = ?")) {
      for (long offset : damaged) {
        delete.setLong(1, offset);
        if (delete.executeUpdate() != 1) {
          // The scan met the entry, but a lookup by its offset does not find it: the log's
          // b-tree is out of order (its own key was damaged), which only a salvage gets around.
          throw new MalformedStoreException(
              "damaged log entry " + offset + " cannot be found by its offset: salvage the store");
        }
      }
    }
    documents.addAll(shortOfRecordedCount(connection));
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM snapshots WHERE doc = ?")) {
      for (String documentId : documents) {
        delete.setString(1, documentId);
        delete.executeUpdate();
      }
    }
    return new Result(damaged.size(), new ArrayList<>(documents));
  }

  /** The documents whose log holds another number of entries than recorded with the last append. */
  private static List<String> shortOfRecordedCount(Connection connection) throws SQLException {
    List<String> documents = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT id FROM docs"
                    + " WHERE change_count != (SELECT count(*) FROM log WHERE log.doc = docs.id)");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        documents.add(rows.getString(1));
      }
    }
    return documents;
  }

  private static boolean intact(byte[] hash, byte[] bytes) {
    if (hash == null || hash.length != ChangeHash.LENGTH || bytes == null) {
      return false;
    }
    try {
      ChangeBytes.verify(ChangeHash.of(hash), bytes, "scrub");
      return true;
    } catch (CorruptStoreException e) {
      return false; // The verdict of the check: this entry is damaged.
    }
  }
}
