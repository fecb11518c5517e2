package dev.converge.repo.sqlite;

import dev.converge.core.Document;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When the views write a document's snapshot. A snapshot is due once a quarter of the document's
 * changes came after the last one (and at least {@code snapshotEvery}), so a load replays a bounded
 * tail. A save costs the whole document, so under load (the steps the writer takes because the
 * views fell behind, or for a reader) a step writes one only once the document doubled since the
 * last (half its changes are new); the due ones are written when the writer is idle ({@link
 * #writeDue}). That keeps the saves under load at about one document's worth per doubling instead
 * of four, and a snapshot is a cache either way: one not written before a crash only makes the next
 * load replay more of the log.
 *
 * <p>It counts, per cached document, the log entries applied since its last snapshot; a document
 * that leaves the cache is forgotten ({@link #forget}). Used by the writer thread only.
 */
final class SnapshotPolicy {
  /** How busy the writer is when a step ends, which decides how much new makes a snapshot due. */
  enum Pace {
    /** The writer has nothing else to do: due once a quarter of the document is new. */
    IDLE(4),
    /** The writer has work waiting: due once the document doubled (half of it is new). */
    UNDER_LOAD(2);

    /** The share of the document that must be new: 1 / this. */
    final int divisor;

    Pace(int divisor) {
      this.divisor = divisor;
    }
  }

  private final int snapshotEvery;
  private final Map<String, Integer> sinceSnapshot = new HashMap<>();

  /**
   * @param snapshotEvery log entries of a document after which its snapshot may be rewritten
   */
  SnapshotPolicy(int snapshotEvery) {
    this.snapshotEvery = snapshotEvery;
  }

  /** A document was loaded, replaying {@code entries} log entries after its snapshot. */
  void loaded(String documentId, int entries) {
    sinceSnapshot.put(documentId, entries);
  }

  /** {@code entries} more log entries were applied to a cached document. */
  void applied(String documentId, int entries) {
    sinceSnapshot.merge(documentId, entries, Integer::sum);
  }

  /** The document left the cache, or was deleted. */
  void forget(String documentId) {
    sinceSnapshot.remove(documentId);
  }

  void clear() {
    sinceSnapshot.clear();
  }

  /** After a step brought {@code document} to {@code upTo}: writes its snapshot if one is due. */
  void afterStep(Connection connection, String documentId, Document document, long upTo, Pace pace)
      throws SQLException {
    int since = sinceSnapshot.getOrDefault(documentId, 0);
    if (isDue(document, since, pace.divisor)) {
      write(connection, documentId, document, upTo);
    }
  }

  /**
   * Writes up to {@code countMax} snapshots that are due while idle, of documents in {@code cache},
   * at {@code offset}, which every cached document has reached; returns whether more are due.
   */
  boolean writeDue(Connection connection, DocumentCache cache, long offset, int countMax)
      throws SQLException {
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Integer> entry : sinceSnapshot.entrySet()) {
      Document document = cache.get(entry.getKey());
      if (document != null && isDue(document, entry.getValue(), Pace.IDLE.divisor)) {
        due.add(entry.getKey());
      }
    }
    for (String documentId : due.subList(0, Math.min(countMax, due.size()))) {
      write(connection, documentId, Objects.requireNonNull(cache.get(documentId)), offset);
    }
    return due.size() > countMax;
  }

  /**
   * A snapshot costs a save of the whole document: rewriting it only after a fixed share of the
   * document ({@code 1 / divisor}) is new keeps that cost constant per change, however long the
   * document grows.
   */
  private boolean isDue(Document document, int since, int divisor) {
    return since >= snapshotEvery && since >= document.changeCount() / divisor;
  }

  private void write(Connection connection, String documentId, Document document, long upTo)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO snapshots(doc, log_offset, bytes) VALUES (?, ?, ?)"
                + " ON CONFLICT(doc) DO UPDATE SET log_offset = excluded.log_offset,"
                + " bytes = excluded.bytes")) {
      statement.setString(1, documentId);
      statement.setLong(2, upTo);
      statement.setBytes(3, document.save());
      statement.executeUpdate();
    }
    sinceSnapshot.put(documentId, 0);
  }
}
