package dev.converge.repo.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sync server's bookkeeping in the store: {@code replicas} (which peers hold a copy of each
 * document, so that a compacted document is purged once all of them moved to its successor) and
 * {@code touched} (when each document was last used, what retention counts its age from). Rows of a
 * document whose own row is gone are ignored, and a purge deletes them.
 */
final class Tracking {
  private Tracking() {}

  static void recordReplica(Connection connection, String documentId, String replica)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO replicas(doc, replica) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      statement.setString(1, documentId);
      statement.setString(2, replica);
      statement.executeUpdate();
    }
  }

  static List<String> replicas(Connection connection, String documentId) throws SQLException {
    List<String> replicas = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT replica FROM replicas WHERE doc = ? ORDER BY replica")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          replicas.add(rows.getString(1));
        }
      }
    }
    return replicas;
  }

  /** Keeps the latest time: a use recorded late, out of order, never makes a document older. */
  static void touch(Connection connection, String documentId, long epochMillis)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO touched(doc, epoch_millis) VALUES (?, ?) ON CONFLICT(doc) DO UPDATE"
                + " SET epoch_millis = max(epoch_millis, excluded.epoch_millis)")) {
      statement.setString(1, documentId);
      statement.setLong(2, epochMillis);
      statement.executeUpdate();
    }
  }

  /** Documents the store holds that were touched, with when. */
  static Map<String, Long> touchedMillis(Connection connection) throws SQLException {
    Map<String, Long> touched = new LinkedHashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT touched.doc, touched.epoch_millis FROM touched"
                    + " JOIN docs ON docs.id = touched.doc ORDER BY touched.doc");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        touched.put(rows.getString(1), rows.getLong(2));
      }
    }
    return touched;
  }
}
