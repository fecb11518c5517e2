package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.MissingDependenciesException;
import dev.converge.repo.spi.DocumentLoader;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.ViewDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The documents exactly as the log holds them, and the views derived from them. Used only by the
 * writer thread, inside its transaction: each append is applied to the document here first (so the
 * engine refuses a bad change before anything is written), then written to the log; before the
 * commit, {@link #flush} rewrites the view rows of every document touched and moves the {@value
 * #VIEWS_CONSUMER} offset to the end of the log, in the same transaction.
 *
 * <p>Documents are cached, least recently used first out; one that is not cached is loaded from its
 * snapshot and log through the writer's connection, which sees the transaction's own writes. If a
 * transaction rolls back, {@link #invalidate} drops the documents it touched.
 */
final class LogState {
  static final String VIEWS_CONSUMER = "$views";

  private final Connection connection;
  private final int snapshotEvery;
  private final Map<String, Document> cache;
  private final Map<String, Integer> sinceSnapshot = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Map<String, ViewDefinition> views = new LinkedHashMap<>();
  private long endOffset;

  LogState(Connection connection, int cacheSize, int snapshotEvery) throws SQLException {
    this.connection = connection;
    this.snapshotEvery = snapshotEvery;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Document> eldest) {
            return size() > cacheSize;
          }
        };
    this.endOffset = LogSql.endOffset(connection);
    for (ViewDefinition definition : ViewDefinitions.readAll(connection)) {
      views.put(definition.name(), definition);
    }
  }

  long endOffset() {
    return endOffset;
  }

  Connection connection() {
    return connection;
  }

  /** The documents touched in the current transaction so far. */
  Set<String> touched() {
    return Set.copyOf(dirty);
  }

  /**
   * Forgets what one refused piece of work touched, after its savepoint was rolled back: the rows
   * it wrote are gone, so its documents are reloaded when next needed.
   */
  void rolledBack(Set<String> touchedBefore) throws SQLException {
    for (String documentId : dirty) {
      if (!touchedBefore.contains(documentId)) {
        cache.remove(documentId);
        sinceSnapshot.remove(documentId);
      }
    }
    dirty.retainAll(touchedBefore);
    endOffset = LogSql.endOffset(connection);
  }

  void createDocument(String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("INSERT OR IGNORE INTO docs(id) VALUES (?)")) {
      statement.setString(1, documentId);
      if (statement.executeUpdate() > 0) {
        dirty.add(documentId);
      }
    }
  }

  /** Applies then appends {@code changes}; returns the last new offset, 0 if none was new. */
  long append(String documentId, List<Change> changes) throws SQLException {
    createDocument(documentId);
    Document document = document(documentId);
    List<Change> fresh = new ArrayList<>();
    for (Change change : changes) {
      if (!document.getChange(change.hash()).isPresent() && !fresh.contains(change)) {
        fresh.add(change);
      }
    }
    if (fresh.isEmpty()) {
      return 0;
    }
    dirty.add(documentId);
    document.applyChanges(fresh);
    if (!document.missingDeps().isEmpty()) {
      List<ChangeHash> missing = document.missingDeps();
      cache.remove(documentId);
      throw new MissingDependenciesException(missing);
    }
    long last = 0;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO log(doc, hash, bytes) VALUES (?, ?, ?) RETURNING log_offset")) {
      for (Change change : fresh) {
        statement.setString(1, documentId);
        statement.setBytes(2, change.hash().toBytes());
        statement.setBytes(3, change.toBytes());
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          last = rows.getLong(1);
        }
      }
    }
    endOffset = last;
    sinceSnapshot.merge(documentId, fresh.size(), Integer::sum);
    return last;
  }

  boolean delete(String documentId) throws SQLException {
    cache.remove(documentId);
    sinceSnapshot.remove(documentId);
    dirty.remove(documentId);
    boolean existed;
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM docs WHERE id = ?")) {
      statement.setString(1, documentId);
      existed = statement.executeUpdate() > 0;
    }
    for (String sql :
        List.of(
            "DELETE FROM log WHERE doc = ?",
            "DELETE FROM snapshots WHERE doc = ?",
            "DELETE FROM documents WHERE id = ?",
            "DELETE FROM documents_fts WHERE doc = ?")) {
      execute(sql, documentId);
    }
    for (ViewDefinition view : views.values()) {
      execute("DELETE FROM \"" + view.tableName() + "\" WHERE doc_id = ?", documentId);
    }
    return existed;
  }

  /** Rewrites the derived rows of every touched document and moves the views' offset. */
  void flush() throws SQLException {
    for (String documentId : dirty) {
      writeRows(documentId, document(documentId));
    }
    dirty.clear();
    LogSql.setConsumerOffset(connection, VIEWS_CONSUMER, endOffset);
  }

  void invalidate(Set<String> documentIds) throws SQLException {
    for (String documentId : documentIds) {
      cache.remove(documentId);
      sinceSnapshot.remove(documentId);
    }
    dirty.clear();
    endOffset = LogSql.endOffset(connection);
  }

  void defineView(ViewDefinition definition) throws SQLException {
    ViewDefinitions.create(connection, definition);
    views.put(definition.name(), definition);
    ViewDefinitions.fill(connection, definition, Optional.empty());
  }

  boolean dropView(String name) throws SQLException {
    ViewDefinition removed = views.remove(name);
    if (removed == null) {
      return false;
    }
    ViewDefinitions.drop(connection, removed);
    return true;
  }

  List<ViewDefinition> views() {
    return List.copyOf(views.values());
  }

  /**
   * Recomputes every derived row from the log alone: snapshots are dropped and rewritten, and each
   * document is loaded from its whole log.
   */
  void rebuild() throws SQLException {
    cache.clear();
    sinceSnapshot.clear();
    dirty.clear();
    try (Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM snapshots");
      statement.execute("DELETE FROM documents");
      statement.execute("DELETE FROM documents_fts");
      for (ViewDefinition view : views.values()) {
        statement.execute("DELETE FROM \"" + view.tableName() + "\"");
      }
    }
    endOffset = LogSql.endOffset(connection);
    for (String documentId : LogSql.documentIds(connection)) {
      List<LogRecord> records = LogSql.readDocument(connection, documentId, 0);
      Document document = DocumentLoader.load(documentId, null, records, () -> records);
      sinceSnapshot.put(documentId, records.size());
      writeRows(documentId, document);
    }
    LogSql.setConsumerOffset(connection, VIEWS_CONSUMER, endOffset);
  }

  private Document document(String documentId) throws SQLException {
    Document cached = cache.get(documentId);
    if (cached != null) {
      return cached;
    }
    Optional<Snapshot> snapshot = LogSql.snapshot(connection, documentId);
    long after = snapshot.map(Snapshot::offset).orElse(0L);
    List<LogRecord> records = LogSql.readDocument(connection, documentId, after);
    Document document =
        DocumentLoader.load(
            documentId,
            snapshot.orElse(null),
            records,
            () -> Unchecked.sql(() -> LogSql.readDocument(connection, documentId, 0)));
    cache.put(documentId, document);
    sinceSnapshot.put(documentId, records.size());
    return document;
  }

  private void writeRows(String documentId, Document document) throws SQLException {
    String value = document.toJson();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO documents(id, heads, value, log_offset) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT(id) DO UPDATE SET heads = excluded.heads,"
                + " value = excluded.value, log_offset = excluded.log_offset")) {
      statement.setString(1, documentId);
      statement.setString(2, headsJson(document.heads()));
      statement.setString(3, value);
      statement.setLong(4, lastOffsetOf(documentId));
      statement.executeUpdate();
    }
    execute("DELETE FROM documents_fts WHERE doc = ?", documentId);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO documents_fts(doc, path, body)"
                + " SELECT ?, fullkey, atom FROM json_tree(?) WHERE type = 'text'")) {
      statement.setString(1, documentId);
      statement.setString(2, value);
      statement.executeUpdate();
    }
    for (ViewDefinition view : views.values()) {
      ViewDefinitions.fill(connection, view, Optional.of(documentId));
    }
    if (sinceSnapshot.getOrDefault(documentId, 0) >= snapshotEvery) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO snapshots(doc, log_offset, bytes) VALUES (?, ?, ?)"
                  + " ON CONFLICT(doc) DO UPDATE SET log_offset = excluded.log_offset,"
                  + " bytes = excluded.bytes")) {
        statement.setString(1, documentId);
        statement.setLong(2, endOffset);
        statement.setBytes(3, document.save());
        statement.executeUpdate();
      }
      sinceSnapshot.put(documentId, 0);
    }
  }

  private long lastOffsetOf(String documentId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT coalesce(max(log_offset), 0) FROM log WHERE doc = ?")) {
      statement.setString(1, documentId);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private void execute(String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      statement.executeUpdate();
    }
  }

  static String headsJson(List<ChangeHash> heads) {
    StringJoiner out = new StringJoiner(",", "[", "]");
    for (ChangeHash head : heads) {
      out.add("\"" + head.toHex() + "\"");
    }
    return out.toString();
  }
}
