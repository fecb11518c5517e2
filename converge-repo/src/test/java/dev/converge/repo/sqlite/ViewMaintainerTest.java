package dev.converge.repo.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.ViewDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * The views' consumer of the log, driven step by step on the test thread, as the writer thread
 * drives it: each mechanism on its own (the document cache, the transactions applied ahead on the
 * views' thread, the snapshot policy, the derived rows), with no timing involved.
 *
 * <p>How: one connection to a fresh store, a {@link LogState} appending in transactions that the
 * test commits and hands to the views as the writer would ({@link LogState#transactionCommitted}),
 * then {@link ViewMaintainer#step} or {@link ViewMaintainer#writeDueSnapshots} in a transaction of
 * their own. Every check reads the tables with plain SQL on the same connection.
 */
class ViewMaintainerTest {
  private static final int STEP_MAX = 4096;

  @TempDir Path dir;

  private @Nullable Connection connection;
  private @Nullable ViewMaintainer views;
  private @Nullable LogState state;

  /** Opens a fresh store with the given document cache size and snapshot interval. */
  private void open(int cacheSize, int snapshotEvery) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    Connection opened = config.createConnection("jdbc:sqlite:" + dir.resolve("views.sqlite"));
    opened.setAutoCommit(false);
    Schema.createOrCheck(opened);
    connection = opened;
    opened.commit();
    Connection aheadReader = config.createConnection("jdbc:sqlite:" + dir.resolve("views.sqlite"));
    views = new ViewMaintainer(opened, aheadReader, cacheSize, snapshotEvery, STEP_MAX, STEP_MAX);
    state = new LogState(opened, views, cacheSize);
  }

  @AfterEach
  void close() throws SQLException {
    if (views != null) {
      views.close();
    }
    if (connection != null) {
      connection.close();
    }
  }

  private Connection connection() {
    return java.util.Objects.requireNonNull(connection);
  }

  private ViewMaintainer views() {
    return java.util.Objects.requireNonNull(views);
  }

  /** One committed transaction appending {@code changes} to {@code documentId}. */
  private void append(String documentId, List<Change> changes) throws SQLException {
    LogState log = java.util.Objects.requireNonNull(state);
    log.beginWork();
    log.append(documentId, changes);
    log.writeDocuments();
    connection().commit();
    log.transactionCommitted();
  }

  /** A step as the writer takes one under load, in a transaction of its own. */
  private int step() throws SQLException {
    int applied = views().step(SnapshotPolicy.Pace.UNDER_LOAD);
    connection().commit();
    return applied;
  }

  private static Change change(Document document, String key, long value) {
    return document.change(tx -> tx.put(ObjId.ROOT, key, value)).orElseThrow();
  }

  private static Document document(int actor) {
    return Document.create(ActorId.of(new byte[] {(byte) actor, 1}), () -> 0L);
  }

  private @Nullable Object value(String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getObject(1) : null;
      }
    }
  }

  private @Nullable Long number(String sql, String parameter) throws SQLException {
    Object number = value(sql, parameter);
    return number == null ? null : ((Number) number).longValue();
  }

  private @Nullable Long snapshotOffset(String documentId) throws SQLException {
    return number("SELECT log_offset FROM snapshots WHERE doc = ?", documentId);
  }

  private List<String> fullText(String documentId) throws SQLException {
    List<String> bodies = new ArrayList<>();
    try (PreparedStatement statement =
        connection()
            .prepareStatement("SELECT path, body FROM documents_fts WHERE doc = ? ORDER BY path")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          bodies.add(rows.getString(1) + "=" + rows.getString(2));
        }
      }
    }
    return bodies;
  }

  @Test
  void step_afterCommits_writesTheDocumentRowAndMovesTheOffset() throws SQLException {
    open(10, 100);
    Document a = document(1);
    append("a", List.of(change(a, "n", 1)));
    append("a", List.of(change(a, "n", 2)));
    assertEquals(2, step());
    assertEquals(2, views().offset());
    assertEquals(a.toJson(), value("SELECT value FROM documents WHERE id = ?", "a"));
    assertEquals(2L, number("SELECT log_offset FROM consumers WHERE name = ?", "$views"));
    assertEquals(0, step());
  }

  /**
   * A cache of one document: two documents written in turn evict each other, so every step loads
   * one from its snapshot and log; the rows stay those of the whole document.
   */
  @Test
  void step_documentsEvictingEachOther_loadFromTheLogAndKeepWholeRows() throws SQLException {
    open(1, 100);
    Document a = document(1);
    Document b = document(2);
    for (int n = 0; n < 6; n++) {
      append("a", List.of(change(a, "k" + n, n)));
      append("b", List.of(change(b, "k" + n, -n)));
      assertEquals(2, step());
      assertEquals(a.toJson(), value("SELECT value FROM documents WHERE id = ?", "a"));
      assertEquals(b.toJson(), value("SELECT value FROM documents WHERE id = ?", "b"));
    }
  }

  /**
   * Under load (a step not idle) a snapshot is written once the changes since the last one reach
   * the interval and half the document (it doubled); idle, {@link ViewMaintainer#writeDueSnapshots}
   * writes those where a quarter of the document is new. Before issue 21 the load rule wanted every
   * change new, which no document met after its first snapshot, so a document under a sustained
   * load kept its first snapshot and every load replayed the rest of its log.
   */
  @Test
  void snapshots_underLoadOnDoubling_whenIdleOnAQuarter() throws SQLException {
    open(10, 2);
    Document a = document(1);
    List<Long> writtenAt = new ArrayList<>();
    for (int n = 1; n <= 16; n++) {
      append("a", List.of(change(a, "n", n)));
      step();
      Long offset = snapshotOffset("a");
      if (offset != null && (writtenAt.isEmpty() || !offset.equals(writtenAt.get(0)))) {
        writtenAt.add(0, offset);
      }
    }
    // Loaded at offset 1 (one change, no snapshot), then due at 2, 4, 7 and 13 changes: at least
    // half of them new (7 / 2 = 3, 13 / 2 = 6 in whole changes).
    assertEquals(List.of(13L, 7L, 4L, 2L), writtenAt);

    for (int n = 17; n <= 21; n++) {
      append("a", List.of(change(a, "n", n)));
      step();
    }
    assertEquals(13L, snapshotOffset("a"), "8 of 21 new: not due under load");
    assertTrue(!views().writeDueSnapshots(10), "nothing else due");
    connection().commit();
    assertEquals(21L, snapshotOffset("a"), "a quarter new: due when idle");
  }

  @Test
  void writeDueSnapshots_moreDueThanAllowed_writesUpToTheMaxAndSaysMoreAreDue()
      throws SQLException {
    open(10, 1);
    List<Document> documents = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      documents.add(document(d + 1));
      for (int n = 0; n < 4; n++) {
        append("d" + d, List.of(change(documents.get(d), "n", n)));
      }
    }
    step();
    for (int d = 0; d < 3; d++) {
      append("d" + d, List.of(change(documents.get(d), "m", d)));
      step();
    }
    assertTrue(views().writeDueSnapshots(1));
    connection().commit();
    assertTrue(!views().writeDueSnapshots(2));
    connection().commit();
    for (int d = 0; d < 3; d++) {
      assertEquals(views().offset(), snapshotOffset("d" + d), "d" + d);
    }
  }

  /**
   * After a first step caches the document, later commits continue what it holds and are applied
   * ahead on the views' thread; the next step writes the rows of what they touched.
   */
  @Test
  void appliedAhead_nextStepWritesTheRowsOfTheDocumentsTouched() throws SQLException {
    open(10, 100);
    Document a = document(1);
    Document b = document(2);
    append("a", List.of(change(a, "n", 0)));
    step();
    append("a", List.of(change(a, "n", 1), change(a, "m", 1)));
    append("b", List.of(change(b, "n", 2)));
    assertEquals(3, step());
    assertEquals(4, views().offset());
    assertEquals(a.toJson(), value("SELECT value FROM documents WHERE id = ?", "a"));
    assertEquals(b.toJson(), value("SELECT value FROM documents WHERE id = ?", "b"));
  }

  /**
   * A commit touching a document the cache does not hold (here: forgotten by a reset) has the
   * views' thread load it from the file, its earlier log included, so the next step only writes the
   * rows; the snapshot policy counts the entries that load replayed, as a load on the writer did.
   */
  @Test
  void appliedAhead_documentNotCached_loadedFromTheFileWithItsEarlierLog() throws SQLException {
    open(10, 3);
    Document a = document(1);
    append("a", List.of(change(a, "n", 0), change(a, "n", 1)));
    assertEquals(2, step());
    views().reset();
    append("a", List.of(change(a, "n", 2)));
    assertEquals(1, step());
    assertEquals(a.toJson(), value("SELECT value FROM documents WHERE id = ?", "a"));
    assertEquals(3L, snapshotOffset("a"), "3 entries replayed, all of the document: due");
  }

  /**
   * A failure on the views' thread (here: a handed-over change whose dependency the cached document
   * lacks) is reported by the next step; after the writer's rollback and reset, the steps read the
   * file and the rows are right.
   */
  @Test
  void appliedAhead_failureOnTheViewsThread_reportedByTheNextStep_thenResetRecovers()
      throws SQLException {
    open(10, 100);
    Document a = document(1);
    append("a", List.of(change(a, "n", 0)));
    step();
    Document fork = a.fork();
    change(fork, "lost", 1);
    Change orphan = change(fork, "orphan", 2);
    long end = views().offset();
    views().offer(end, List.of(new LogEntry.Committed(end + 1, "a", orphan)), end + 1);
    assertThrows(CorruptStoreException.class, () -> views().step());
    connection().rollback();
    views().reset();
    append("a", List.of(change(a, "n", 3)));
    assertEquals(1, step());
    assertEquals(a.toJson(), value("SELECT value FROM documents WHERE id = ?", "a"));
  }

  /** Full-text rows follow the document's strings; a user view is filled; a delete clears both. */
  @Test
  void derivedRows_followTheDocument_andGoWithItsDelete() throws SQLException {
    open(10, 100);
    views()
        .defineView(
            new ViewDefinition(
                "titles", "$.title", Optional.empty(), Map.of("title", "$.title", "n", "$.n")));
    connection().commit();
    Document a = document(1);
    append("a", List.of(a.change(tx -> tx.put(ObjId.ROOT, "title", "first words")).orElseThrow()));
    step();
    assertEquals(List.of("$.title=first words"), fullText("a"));
    assertEquals("first words", value("SELECT title FROM view_titles WHERE doc_id = ?", "a"));

    append(
        "a",
        List.of(
            a.change(
                    tx -> {
                      tx.put(ObjId.ROOT, "title", "second");
                      tx.put(ObjId.ROOT, "body", "more words");
                      tx.put(ObjId.ROOT, "n", 7);
                    })
                .orElseThrow()));
    step();
    assertEquals(List.of("$.body=more words", "$.title=second"), fullText("a"));
    assertEquals(7L, number("SELECT n FROM view_titles WHERE doc_id = ?", "a"));

    views().delete("a");
    connection().commit();
    assertEquals(List.of(), fullText("a"));
    assertEquals(null, value("SELECT title FROM view_titles WHERE doc_id = ?", "a"));
    assertEquals(null, value("SELECT value FROM documents WHERE id = ?", "a"));
  }

  /** A rebuild from offset 0 gives the same rows and snapshots as the steps did. */
  @Test
  void rebuild_givesTheRowsTheStepsGave() throws SQLException {
    open(2, 2);
    List<Document> documents = List.of(document(1), document(2), document(3));
    for (int n = 0; n < 12; n++) {
      Document document = documents.get(n % 3);
      append("d" + (n % 3), List.of(change(document, "k" + (n % 4), n)));
      if (n % 4 == 3) {
        step();
      }
    }
    step();
    String rows = table("SELECT id, heads, value, log_offset FROM documents ORDER BY id");
    views().rebuild((done, total) -> {});
    connection().commit();
    assertEquals(rows, table("SELECT id, heads, value, log_offset FROM documents ORDER BY id"));
  }

  private String table(String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (PreparedStatement statement = connection().prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        for (int i = 1; i <= columns; i++) {
          out.append(rows.getString(i)).append('|');
        }
        out.append('\n');
      }
    }
    return out.toString();
  }
}
