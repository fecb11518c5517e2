package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The {@code forwards} table: one row per compacted document, naming its successor and the heads it
 * was compacted at ({@link Forward}). Rows are never deleted: the purge of the old document deletes
 * its content, not the link, so the old ID keeps leading to the new document.
 */
final class Forwards {
  private Forwards() {}

  /**
   * Compaction's first step, in the writer's transaction: checks the old document may be compacted,
   * appends the successor's changes and inserts the link.
   *
   * @throws PurgedDocumentException if the old document was purged
   * @throws StorageException of kind INVALID_ARGUMENT for the other refusals of {@link
   *     dev.converge.repo.spi.Storage#compactDocument}
   */
  static void compact(LogState state, Forward forward, List<dev.converge.core.Change> changes)
      throws SQLException {
    String old = forward.documentId();
    if (state.isPurged(old)) {
      throw new PurgedDocumentException(old);
    }
    Optional<Forward> earlier = find(state.connection(), old);
    if (earlier.isPresent()) {
      throw refused(old + " was compacted already, into " + earlier.get().successorId());
    }
    if (!LogSql.recorded(state.connection(), old).isPresent()) {
      throw refused("no document " + old);
    }
    if (!new HashSet<>(state.recordedHeads(old)).equals(new HashSet<>(forward.compactedHeads()))) {
      throw refused(old + " changed while it was compacted; compact it again");
    }
    if (LogSql.recorded(state.connection(), forward.successorId()).isPresent()
        || state.isPurged(forward.successorId())) {
      throw refused("the successor " + forward.successorId() + " exists already");
    }
    state.append(forward.successorId(), changes);
    insert(state.connection(), forward);
  }

  /** Inserts a link unless the old document has one; returns whether it was inserted. */
  static boolean insert(Connection connection, Forward forward) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO forwards(id, successor, heads) VALUES (?, ?, ?)"
                + " ON CONFLICT(id) DO NOTHING")) {
      statement.setString(1, forward.documentId());
      statement.setString(2, forward.successorId());
      statement.setString(3, Heads.toJson(forward.compactedHeads()));
      return statement.executeUpdate() > 0;
    }
  }

  static Optional<Forward> find(Connection connection, String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT id, successor, heads FROM forwards WHERE id = ?")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  static List<Forward> all(Connection connection) throws SQLException {
    List<Forward> forwards = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT id, successor, heads FROM forwards ORDER BY id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        forwards.add(read(rows));
      }
    }
    return forwards;
  }

  private static Forward read(ResultSet rows) throws SQLException {
    String id = rows.getString(1);
    return new Forward(id, rows.getString(2), Heads.fromJson(rows.getString(3), "forward " + id));
  }

  private static StorageException refused(String message) {
    return new StorageException(ConvergeException.Kind.INVALID_ARGUMENT, "compact: " + message);
  }
}
