package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.MissingDependenciesException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.PurgedDocumentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The append side of the store, used only by the writer thread inside its transaction. An append
 * inserts log rows and updates the document's recorded change count and heads, nothing else: the
 * views trail the log ({@link ViewMaintainer}), so the cost of an append does not grow with the
 * document.
 *
 * <p>What an append checks without the engine: duplicates are skipped (by {@code UNIQUE(doc, actor,
 * seq)}, refusing another change under a stored (actor, seq) pair), and every dependency must
 * already be in the document's log or earlier in the same append, so the log of a document is
 * always a complete causal history. That the engine accepts the changes is the caller's check:
 * {@link dev.converge.repo.DocHandle} applies them to its document before it appends them.
 *
 * <p>Heads are kept incrementally: appending a new change whose dependencies are present removes
 * those dependencies from the heads and adds the change (no stored change can depend on a change
 * the log did not have). Recorded heads of recently used documents are cached, least recently used
 * first out; a piece of work that is rolled back forgets what it touched ({@link #rolledBack}).
 *
 * <p>A document's row ({@code docs.change_count}, {@code docs.heads}) is written once per
 * transaction, by {@link #writeDocuments} just before the commit, not once per append: a batch of
 * many one-change appends to one document then costs one update and one heads encoding instead of
 * one each. The row still commits in the same transaction as the log rows it counts.
 *
 * <p>The log entries appended in the current transaction are kept ({@link #appended}) so that, once
 * the transaction committed, the views can apply the very changes without reading them back from
 * the file ({@link ViewMaintainer#offer}).
 */
final class LogState implements AutoCloseable {
  private final Connection connection;
  private final ViewMaintainer views;
  private final Map<String, Recorded> recorded;

  /** Every purged ID, as committed plus what the current transaction purged. */
  private Set<String> purged;

  private final Set<String> touched = new HashSet<>();
  private final Map<String, Recorded> unwritten = new LinkedHashMap<>();
  private final List<LogEntry.Committed> appended = new ArrayList<>();
  private int appendedAtWorkStart;
  private boolean deletedInTransaction;
  private long endAtTransactionStart;
  private PreparedStatement insertDocument;
  private PreparedStatement insertChange;
  private PreparedStatement storedHash;
  private PreparedStatement hasChange;
  private PreparedStatement updateDocument;
  private long endOffset;

  private static final String INSERT_DOCUMENT = "INSERT OR IGNORE INTO docs(id) VALUES (?)";
  private static final String INSERT_CHANGE =
      "INSERT INTO log(doc, hash, bytes, actor, seq) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT(doc, actor, seq) DO NOTHING RETURNING log_offset";
  private static final String STORED_HASH =
      "SELECT hash FROM log WHERE doc = ? AND actor = ? AND seq = ?";
  private static final String HAS_CHANGE = "SELECT 1 FROM log WHERE doc = ? AND hash = ?";
  private static final String UPDATE_DOCUMENT =
      "UPDATE docs SET change_count = ?, heads = ? WHERE id = ?";

  /** A document's change count and heads as the log holds them. */
  private record Recorded(long changeCount, Set<ChangeHash> heads) {}

  LogState(Connection connection, ViewMaintainer views, int cacheSize) throws SQLException {
    this.connection = connection;
    this.views = views;
    this.recorded =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
            return size() > cacheSize;
          }
        };
    this.insertDocument = connection.prepareStatement(INSERT_DOCUMENT);
    this.insertChange = connection.prepareStatement(INSERT_CHANGE);
    this.storedHash = connection.prepareStatement(STORED_HASH);
    this.hasChange = connection.prepareStatement(HAS_CHANGE);
    this.updateDocument = connection.prepareStatement(UPDATE_DOCUMENT);
    this.endOffset = LogSql.highWaterOffset(connection);
    this.endAtTransactionStart = endOffset;
    this.purged = Purge.purgedIds(connection);
  }

  /** The highest offset appended, in the current transaction or before. */
  long endOffset() {
    return endOffset;
  }

  Connection connection() {
    return connection;
  }

  ViewMaintainer views() {
    return views;
  }

  /** Starts a piece of work that may be rolled back alone. */
  void beginWork() {
    touched.clear();
    appendedAtWorkStart = appended.size();
  }

  /**
   * Writes the row of every document appended to since the last call, in the current transaction:
   * called before each commit, and at the end of each piece of work run in its own savepoint.
   */
  void writeDocuments() throws SQLException {
    for (Map.Entry<String, Recorded> entry : unwritten.entrySet()) {
      Recorded after = entry.getValue();
      updateDocument.setLong(1, after.changeCount());
      updateDocument.setString(2, Heads.toJson(new ArrayList<>(after.heads())));
      updateDocument.setString(3, entry.getKey());
      updateDocument.executeUpdate();
    }
    unwritten.clear();
  }

  /**
   * After the current transaction committed: hands what it appended to the views and starts the
   * next transaction's bookkeeping.
   */
  void transactionCommitted() {
    if (deletedInTransaction) {
      // Log rows went away: the views must read what is left from the file.
      views.forgetOffered();
    } else {
      views.offer(endAtTransactionStart, appended, endOffset);
    }
    startTransaction();
  }

  private void startTransaction() {
    appended.clear();
    appendedAtWorkStart = 0;
    unwritten.clear();
    deletedInTransaction = false;
    endAtTransactionStart = endOffset;
  }

  /**
   * Forgets what one refused piece of work touched, after its savepoint was rolled back: the rows
   * it wrote are gone, so what it cached is reloaded when next needed.
   */
  void rolledBack() throws SQLException {
    for (String documentId : touched) {
      recorded.remove(documentId);
      unwritten.remove(documentId);
    }
    touched.clear();
    appended.subList(appendedAtWorkStart, appended.size()).clear();
    endOffset = LogSql.highWaterOffset(connection);
    purged = Purge.purgedIds(connection);
    views.reset();
  }

  /**
   * Forgets everything cached, after the whole transaction was rolled back. The statements are
   * prepared again: after a failed step (a full disk, say) sqlite-jdbc leaves a statement in a
   * state where its next use fails with "statement is not executing".
   */
  void transactionRolledBack() throws SQLException {
    prepareAgain();
    recorded.clear();
    touched.clear();
    endOffset = LogSql.highWaterOffset(connection);
    purged = Purge.purgedIds(connection);
    startTransaction();
    views.reset();
  }

  /**
   * Closes the prepared statements and prepares them again: SQLite refuses a VACUUM while a
   * statement of the connection has not been reset, which sqlite-jdbc leaves to a later use.
   */
  void prepareAgain() throws SQLException {
    close();
    insertDocument = connection.prepareStatement(INSERT_DOCUMENT);
    insertChange = connection.prepareStatement(INSERT_CHANGE);
    storedHash = connection.prepareStatement(STORED_HASH);
    hasChange = connection.prepareStatement(HAS_CHANGE);
    updateDocument = connection.prepareStatement(UPDATE_DOCUMENT);
  }

  /**
   * @throws PurgedDocumentException if the document was purged
   */
  void createDocument(String documentId) throws SQLException {
    if (recorded.containsKey(documentId)) {
      return;
    }
    if (purged.contains(documentId)) {
      throw new PurgedDocumentException(documentId);
    }
    touched.add(documentId);
    insertDocument.setString(1, documentId);
    insertDocument.executeUpdate();
  }

  /**
   * Appends the changes of {@code changes} the log lacks, in order; returns the last new offset, 0
   * if none was new.
   *
   * @throws MissingDependenciesException if a change depends on one the document's log lacks
   * @throws PurgedDocumentException if the document was purged
   */
  long append(String documentId, List<Change> changes) throws SQLException {
    if (purged.contains(documentId)) {
      throw new PurgedDocumentException(documentId);
    }
    touched.add(documentId);
    createDocument(documentId);
    Recorded before = recorded(documentId);
    if (changes.size() == 1) {
      return appendOne(documentId, before, changes.get(0));
    }
    Set<ChangeHash> heads = new HashSet<>(before.heads());
    Set<ChangeHash> seen = new HashSet<>();
    TreeSet<ChangeHash> missing = new TreeSet<>();
    long last = 0;
    int added = 0;
    for (Change change : changes) {
      if (!seen.add(change.hash())) {
        continue;
      }
      for (ChangeHash dep : change.deps()) {
        if (!heads.contains(dep) && !seen.contains(dep) && !inLog(documentId, dep)) {
          missing.add(dep);
        }
      }
      if (!missing.isEmpty()) {
        throw new MissingDependenciesException(List.copyOf(missing));
      }
      long offset = insert(documentId, change);
      if (offset > 0) {
        last = offset;
        added++;
        heads.removeAll(change.deps());
        heads.add(change.hash());
        appended.add(new LogEntry.Committed(last, documentId, change));
      } else {
        requireSameChange(documentId, change);
      }
    }
    if (added > 0) {
      recordAppended(documentId, new Recorded(before.changeCount() + added, Set.copyOf(heads)));
      endOffset = last;
    }
    return last;
  }

  /**
   * {@link #append} of one change, the common case (a local change, one per transaction of a
   * handle), without the sets the general case builds: a change whose dependencies include every
   * head (one that follows the heads) becomes the only head.
   */
  private long appendOne(String documentId, Recorded before, Change change) throws SQLException {
    TreeSet<ChangeHash> missing = null;
    for (ChangeHash dep : change.deps()) {
      if (!before.heads().contains(dep) && !inLog(documentId, dep)) {
        if (missing == null) {
          missing = new TreeSet<>();
        }
        missing.add(dep);
      }
    }
    if (missing != null) {
      throw new MissingDependenciesException(List.copyOf(missing));
    }
    long offset = insert(documentId, change);
    if (offset == 0) {
      requireSameChange(documentId, change);
      return 0;
    }
    appended.add(new LogEntry.Committed(offset, documentId, change));
    Set<ChangeHash> heads;
    if (change.deps().containsAll(before.heads())) {
      heads = Set.of(change.hash());
    } else {
      Set<ChangeHash> next = new HashSet<>(before.heads());
      change.deps().forEach(next::remove);
      next.add(change.hash());
      heads = Set.copyOf(next);
    }
    recordAppended(documentId, new Recorded(before.changeCount() + 1, heads));
    endOffset = offset;
    return offset;
  }

  /** Inserts a change's log row; returns its offset, or 0 if the log holds its (actor, seq). */
  private long insert(String documentId, Change change) throws SQLException {
    insertChange.setString(1, documentId);
    insertChange.setBytes(2, change.hash().toBytes());
    insertChange.setBytes(3, change.toBytes());
    insertChange.setBytes(4, change.actor().toBytes());
    insertChange.setLong(5, change.seq());
    try (ResultSet rows = insertChange.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  private void recordAppended(String documentId, Recorded after) {
    recorded.put(documentId, after);
    unwritten.put(documentId, after);
  }

  /** Recounts a document's changes and heads from its log, as {@code Storage} describes. */
  void recordLogAsComplete(String documentId) throws SQLException {
    touched.add(documentId);
    LogSql.Recorded counted =
        countLog(LogSql.readDocument(connection, documentId, 0, Long.MAX_VALUE));
    Recorded recount = new Recorded(counted.changeCount(), Set.copyOf(counted.heads()));
    recorded.put(documentId, recount);
    unwritten.put(documentId, recount);
  }

  /** The change count and heads of a document's whole log, in offset (causal) order. */
  static LogSql.Recorded countLog(List<LogRecord> records) {
    Set<ChangeHash> heads = new LinkedHashSet<>();
    for (LogRecord record : records) {
      Change change = Change.fromBytes(record.bytes());
      change.deps().forEach(heads::remove);
      heads.add(change.hash());
    }
    return new LogSql.Recorded(records.size(), List.copyOf(heads));
  }

  /** Deletes the log entries that fail their checks; see {@link LogScrub}. */
  LogScrub.Result scrub() throws SQLException {
    LogScrub.Result result = LogScrub.run(connection);
    if (result.entriesDropped() > 0) {
      // Log rows went away: the views must read what is left from the file.
      deletedInTransaction = true;
    }
    return result;
  }

  boolean delete(String documentId) throws SQLException {
    touched.add(documentId);
    recorded.remove(documentId);
    unwritten.remove(documentId);
    deletedInTransaction = true;
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
            "DELETE FROM replicas WHERE doc = ?",
            "DELETE FROM touched WHERE doc = ?")) {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, documentId);
        statement.executeUpdate();
      }
    }
    views.delete(documentId);
    return existed;
  }

  /**
   * Step one of a purge ({@link Purge}): deletes the document and remembers its ID, in the current
   * transaction; returns whether the document existed.
   */
  boolean purge(String documentId) throws SQLException {
    boolean existed = delete(documentId);
    Purge.remember(connection, documentId);
    purged.add(documentId);
    return existed;
  }

  /** Whether the document is purged, committed or in the current transaction. */
  boolean isPurged(String documentId) {
    return purged.contains(documentId);
  }

  /** The document's heads as the log holds them, appends of the current transaction included. */
  List<ChangeHash> recordedHeads(String documentId) throws SQLException {
    return List.copyOf(recorded(documentId).heads());
  }

  private Recorded recorded(String documentId) throws SQLException {
    Recorded cached = recorded.get(documentId);
    if (cached != null) {
      return cached;
    }
    // Evicted from the cache while its row waits for writeDocuments: the row is stale.
    Recorded pending = unwritten.get(documentId);
    if (pending != null) {
      recorded.put(documentId, pending);
      return pending;
    }
    Optional<LogSql.Recorded> stored = LogSql.recorded(connection, documentId);
    Recorded loaded =
        stored
            .map(found -> new Recorded(found.changeCount(), Set.copyOf(found.heads())))
            .orElseGet(() -> new Recorded(0, Set.of()));
    recorded.put(documentId, loaded);
    return loaded;
  }

  /** The log holds a change with this one's (actor, seq): it must be this very change (G2). */
  private void requireSameChange(String documentId, Change change) throws SQLException {
    storedHash.setString(1, documentId);
    storedHash.setBytes(2, change.actor().toBytes());
    storedHash.setLong(3, change.seq());
    try (ResultSet rows = storedHash.executeQuery()) {
      rows.next();
      byte[] stored = rows.getBytes(1);
      if (!java.util.Arrays.equals(stored, change.hash().toBytes())) {
        throw new CorruptDataException(
            "document "
                + documentId
                + " already holds another change with actor "
                + change.actor()
                + " and seq "
                + change.seq()
                + ": two different changes may never share an (actor, seq) pair");
      }
    }
  }

  /**
   * Whether the document's log holds a change: a scan of the document's rows, since there is no
   * hash index (see {@link Schema}). Only a dependency that is neither a head nor in the same
   * append gets here: a merge of an old branch.
   */
  private boolean inLog(String documentId, ChangeHash hash) throws SQLException {
    hasChange.setString(1, documentId);
    hasChange.setBytes(2, hash.toBytes());
    try (ResultSet rows = hasChange.executeQuery()) {
      return rows.next();
    }
  }

  @Override
  public void close() throws SQLException {
    insertDocument.close();
    insertChange.close();
    hasChange.close();
    storedHash.close();
    updateDocument.close();
  }
}
