package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.DocumentLoader;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The built-in consumer of the log that maintains the derived tables (the {@code documents} table,
 * full-text rows, user views) and the snapshots. It trails the log: each {@link #step} reads the
 * records after its offset, brings the affected documents up to the last of them, rewrites their
 * derived rows and moves its offset ({@value #CONSUMER} in {@code consumers}) in the same
 * transaction. Rows are recomputed from a document's whole state, so applying a step twice (after a
 * crash between the rows and an acknowledgement of them, say) writes the same rows: idempotent, and
 * a rebuild from offset 0 gives identical rows.
 *
 * <p>Used by the writer thread only, inside its transactions (the views' thread below is its
 * helper). Documents are cached, least recently used first out; one that is not cached is loaded
 * from its snapshot and its log up to the step's last offset. After a rollback {@link #reset}
 * forgets the cache and rereads the offset.
 *
 * <p>Handed-over entries: after each commit the writer {@link #offer offers} the log entries it
 * just committed, as the changes it inserted, so a step over them applies those changes instead of
 * reading, verifying and decoding the same bytes back from the file (under a sustained load that
 * was most of the views' cost). They are the log's rows exactly: offered only after the commit, in
 * offset order, and used only while they are known to be every entry after {@code offeredFrom} (a
 * chain of commits without a gap). A commit that deleted rows ({@link #forgetOffered}), a gap in
 * the chain, more than {@code offeredMax} entries waiting, or a restart drops them, and the steps
 * read the file again, verifying every change against its hash as before. Applying either form
 * writes the same rows, since rows are recomputed from the document's whole state.
 *
 * <p>Applied ahead: a handed-over transaction that continues what the cached documents hold is
 * applied to them at once on a thread of the views' own ({@code converge-sqlite-views}), while the
 * writer goes on with its next batch and its commit; the next step then only writes the rows of the
 * documents it touched (loading those that were not cached) and moves the offset to where the
 * documents are ({@code appliedTo}). Applying the changes was most of a step's cost on the writer
 * thread, which bounds the store's throughput. Only that thread hands work to the views' thread,
 * and every method that reads or changes the cached documents first waits for the work handed over
 * ({@code awaitApplied}), so a document is never used by both threads at once. A failure there is
 * reported by the next step, which the writer then rolls back as any failed step ({@link #reset}).
 *
 * <p>Snapshots: a document's snapshot is due once a quarter of its changes came after the last one
 * (and at least {@code snapshotEvery}), so a load replays a bounded tail. A save costs the whole
 * document, so under load (the steps the writer takes because the views fell behind, or for a
 * reader) a step writes a snapshot only once the document doubled since the last; the due ones are
 * written when the writer is idle ({@link #writeDueSnapshots}). That keeps the saves under load at
 * about one document's worth per doubling instead of four, and a snapshot is a cache either way:
 * one not written before a crash only makes the next load replay more of the log.
 */
final class ViewMaintainer {
  static final String CONSUMER = "$views";

  private final Connection connection;
  private final int snapshotEvery;
  private final int stepMax;
  private final Map<String, Document> cache;
  private final Map<String, Integer> sinceSnapshot = new HashMap<>();
  private final Map<String, ViewDefinition> views = new LinkedHashMap<>();
  private final ArrayDeque<Entry> offered = new ArrayDeque<>();
  private final int offeredMax;
  private long offeredFrom;
  private long offeredTo = -1;
  private long offset;

  /** Applies handed-over transactions to the cached documents ahead of the steps. */
  private final ExecutorService applier =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "converge-sqlite-views");
            thread.setDaemon(true);
            return thread;
          });

  /** The last piece of work handed to {@link #applier}; the earlier ones ran before it. */
  private Future<?> applying = CompletableFuture.completedFuture(null);

  /** The first failure on the views' thread since the last {@link #awaitApplied}. */
  private final AtomicReference<@Nullable RuntimeException> applyFailure = new AtomicReference<>();

  /**
   * The log offset the cached documents reach once {@link #applying} is done: the offset, or past
   * it by transactions applied ahead.
   */
  private long appliedTo;

  /** By document, how many entries after the offset up to {@link #appliedTo} it has. */
  private final Map<String, Integer> appliedAhead = new LinkedHashMap<>();

  /** A log entry this process committed, handed to the views by the writer ({@link #offer}). */
  record Entry(long offset, String documentId, Change change) implements Source {}

  /**
   * @param offeredMax handed-over entries kept at most while the views trail the log
   */
  ViewMaintainer(
      Connection connection, int cacheSize, int snapshotEvery, int stepMax, int offeredMax)
      throws SQLException {
    this.connection = connection;
    this.snapshotEvery = snapshotEvery;
    this.stepMax = stepMax;
    this.offeredMax = offeredMax;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Document> eldest) {
            if (size() > cacheSize) {
              sinceSnapshot.remove(eldest.getKey());
              return true;
            }
            return false;
          }
        };
    reset();
  }

  /** The log offset the views have reached. */
  long offset() {
    return offset;
  }

  /**
   * Takes the entries of a transaction that just committed: {@code entries}, in offset order, are
   * every log entry after {@code endBefore} up to {@code endAfter} (the log's high-water offsets
   * before and after the transaction).
   */
  void offer(long endBefore, List<Entry> entries, long endAfter) {
    if (offeredTo != endBefore) {
      // Not a continuation of what is held: start a new chain after endBefore.
      offered.clear();
      offeredFrom = endBefore;
    }
    offered.addAll(entries);
    offeredTo = endAfter;
    while (offered.size() > offeredMax) {
      offeredFrom = offered.removeFirst().offset();
    }
    if (endBefore == appliedTo && !entries.isEmpty()) {
      applyAhead(entries);
      appliedTo = endAfter;
    }
  }

  /**
   * Hands a committed transaction's entries, which continue what the cached documents hold, to the
   * views' thread; documents not cached are skipped there and loaded by the next step.
   */
  private void applyAhead(List<Entry> entries) {
    Map<String, List<Source>> byDocument = new LinkedHashMap<>();
    for (Entry entry : entries) {
      byDocument.computeIfAbsent(entry.documentId(), id -> new ArrayList<>()).add(entry);
      appliedAhead.merge(entry.documentId(), 1, Integer::sum);
    }
    applying =
        applier.submit(
            () -> {
              if (applyFailure.get() != null) {
                return;
              }
              try {
                for (Map.Entry<String, List<Source>> document : byDocument.entrySet()) {
                  Document cached = cache.get(document.getKey());
                  if (cached != null) {
                    apply(document.getKey(), cached, document.getValue());
                  }
                }
              } catch (RuntimeException e) {
                applyFailure.compareAndSet(null, e);
              }
            });
  }

  /**
   * Waits until the views' thread has applied everything handed to it; afterwards this thread may
   * use the cached documents.
   *
   * @throws RuntimeException what failed there since the last wait (the cached documents are then
   *     unreliable: the caller's rollback resets them)
   */
  private void awaitApplied() {
    boolean interrupted = false;
    while (true) {
      try {
        applying.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        applyFailure.compareAndSet(null, new IllegalStateException(e.getCause()));
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException failure = applyFailure.getAndSet(null);
    if (failure != null) {
      throw failure;
    }
  }

  /** Stops the views' thread once it has applied what it was handed. */
  void close() {
    applier.shutdown();
  }

  /** Drops the handed-over entries: the log lost rows, so only the file says what is left. */
  void forgetOffered() {
    offered.clear();
    offeredTo = -1;
  }

  /** Forgets cached documents and rereads the offset and definitions from the database. */
  void reset() throws SQLException {
    try {
      awaitApplied();
    } catch (RuntimeException e) {
      // What failed there touched only the cached documents, which go now.
    }
    appliedAhead.clear();
    cache.clear();
    sinceSnapshot.clear();
    views.clear();
    for (ViewDefinition definition : ViewDefinitions.readAll(connection)) {
      views.put(definition.name(), definition);
    }
    offset = LogSql.consumerOffset(connection, CONSUMER);
    appliedTo = offset;
  }

  /**
   * Applies up to {@code stepMax} records after the offset, in the current transaction; returns how
   * many (0 when the views are up to date with the log).
   *
   * @throws CorruptStoreException if a record or a document's log does not load
   */
  int step() throws SQLException {
    return step(false);
  }

  /**
   * Like {@link #step()}; {@code idle} when the writer has nothing else to do, so due snapshots are
   * written at once.
   */
  int step(boolean idle) throws SQLException {
    awaitApplied();
    if (appliedTo > offset) {
      return stepAppliedAhead(idle);
    }
    List<Source> records = takeOffered();
    if (records.isEmpty()) {
      for (LogRecord record : LogSql.readLog(connection, offset, stepMax)) {
        records.add(new ReadBack(record));
      }
    }
    if (records.isEmpty()) {
      return 0;
    }
    long end = records.get(records.size() - 1).offset();
    // One document's records are applied together and its rows written once per step, however
    // many of its changes the step holds.
    Map<String, List<Source>> byDocument = new LinkedHashMap<>();
    for (Source record : records) {
      byDocument.computeIfAbsent(record.documentId(), id -> new ArrayList<>()).add(record);
    }
    for (Map.Entry<String, List<Source>> entry : byDocument.entrySet()) {
      String documentId = entry.getKey();
      Document document = cache.get(documentId);
      if (document == null) {
        document = load(documentId, end);
      } else {
        apply(documentId, document, entry.getValue());
        sinceSnapshot.merge(documentId, entry.getValue().size(), Integer::sum);
      }
      writeRows(documentId, document, end);
      int since = sinceSnapshot.getOrDefault(documentId, 0);
      if (snapshotDue(document, since, idle ? 4 : 1)) {
        writeSnapshot(documentId, document, end);
      }
    }
    offset = end;
    appliedTo = end;
    LogSql.setConsumerOffset(connection, CONSUMER, offset);
    return records.size();
  }

  /**
   * A step over the transactions applied ahead: the cached documents are at {@link #appliedTo}
   * already, so it writes the rows of each document they touched (loading it up to there if it was
   * not cached) and moves the offset there.
   */
  private int stepAppliedAhead(boolean idle) throws SQLException {
    long end = appliedTo;
    int applied = 0;
    for (Map.Entry<String, Integer> entry : appliedAhead.entrySet()) {
      String documentId = entry.getKey();
      applied += entry.getValue();
      Document document = cache.get(documentId);
      if (document == null) {
        document = load(documentId, end);
      } else {
        sinceSnapshot.merge(documentId, entry.getValue(), Integer::sum);
      }
      writeRows(documentId, document, end);
      if (snapshotDue(document, sinceSnapshot.getOrDefault(documentId, 0), idle ? 4 : 1)) {
        writeSnapshot(documentId, document, end);
      }
    }
    appliedAhead.clear();
    while (!offered.isEmpty() && offered.peekFirst().offset() <= end) {
      offeredFrom = offered.removeFirst().offset();
    }
    offset = end;
    LogSql.setConsumerOffset(connection, CONSUMER, offset);
    return applied;
  }

  /**
   * Up to {@code stepMax} handed-over entries after the offset, or none when they cannot be used
   * (the views are behind the chain's start, or there is no chain); then the step reads the file.
   */
  private List<Source> takeOffered() {
    List<Source> taken = new ArrayList<>();
    if (offeredTo < 0 || offset < offeredFrom) {
      return taken;
    }
    while (!offered.isEmpty() && offered.peekFirst().offset() <= offset) {
      offeredFrom = offered.removeFirst().offset();
    }
    for (Entry entry : offered) {
      if (taken.size() == stepMax) {
        break;
      }
      taken.add(entry);
    }
    return taken;
  }

  /** A log entry as a step takes it: handed over after its commit, or read back from the file. */
  private sealed interface Source permits Entry, ReadBack {
    long offset();

    String documentId();

    Change change();
  }

  /** Read from the file, its bytes already verified against its hash ({@link LogSql}). */
  private record ReadBack(LogRecord record) implements Source {
    @Override
    public long offset() {
      return record.offset();
    }

    @Override
    public String documentId() {
      return record.documentId();
    }

    @Override
    public Change change() {
      return Change.fromBytes(record.bytes());
    }
  }

  /** Steps until the views have reached the end of the log. */
  void catchUp() throws SQLException {
    while (step() > 0) {
      // Each step is bounded; keep going until the log is exhausted.
    }
  }

  /** Removes a deleted document's derived rows (its snapshot and log rows go with the log). */
  void delete(String documentId) throws SQLException {
    awaitApplied();
    forgetOffered();
    appliedAhead.remove(documentId);
    cache.remove(documentId);
    sinceSnapshot.remove(documentId);
    execute("DELETE FROM documents WHERE id = ?", documentId);
    deleteFullText(documentId);
    for (ViewDefinition view : views.values()) {
      execute("DELETE FROM \"" + view.tableName() + "\" WHERE doc_id = ?", documentId);
    }
  }

  /** Declares a view and fills it, after catching up so it is filled from current documents. */
  void defineView(ViewDefinition definition) throws SQLException {
    catchUp();
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

  /**
   * Recomputes every derived row from the log alone: derived tables and snapshots are emptied and
   * the consumer starts again from offset 0.
   */
  void rebuild(ViewStore.Progress progress) throws SQLException {
    awaitApplied();
    appliedAhead.clear();
    cache.clear();
    sinceSnapshot.clear();
    try (Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM snapshots");
      statement.execute("DELETE FROM documents");
      statement.execute("DELETE FROM documents_fts");
      statement.execute("DELETE FROM documents_fts_rows");
      for (ViewDefinition view : views.values()) {
        statement.execute("DELETE FROM \"" + view.tableName() + "\"");
      }
    }
    offset = 0;
    appliedTo = 0;
    long total = LogSql.endOffset(connection);
    while (step() > 0) {
      progress.update(offset, total);
    }
    LogSql.setConsumerOffset(connection, CONSUMER, offset);
  }

  private Document load(String documentId, long upTo) throws SQLException {
    Optional<Snapshot> snapshot = LogSql.snapshot(connection, documentId);
    long after = snapshot.map(Snapshot::offset).orElse(0L);
    List<LogRecord> records = LogSql.readDocument(connection, documentId, after, upTo);
    Document document =
        DocumentLoader.load(
            documentId,
            snapshot.orElse(null),
            records,
            () -> Unchecked.sql(() -> LogSql.readDocument(connection, documentId, 0, upTo)));
    cache.put(documentId, document);
    sinceSnapshot.put(documentId, records.size());
    return document;
  }

  /**
   * Applies a step's records of one cached document. They are all new to it (the document holds
   * exactly the log up to the views' offset, and a document's log holds a change once, by {@code
   * UNIQUE(doc, actor, seq)}), and {@link Document#applyChanges} skips any it holds anyway, so they
   * are not looked up first: that lookup cost the serial writer thread a hash probe per change.
   */
  private static void apply(String documentId, Document document, List<Source> records) {
    List<Change> changes = new ArrayList<>(records.size());
    for (Source record : records) {
      changes.add(record.change());
    }
    document.applyChanges(changes);
    if (!document.missingDeps().isEmpty()) {
      throw new CorruptStoreException(
          "the log of document " + documentId + " lacks " + document.missingDeps());
    }
  }

  private void writeRows(String documentId, Document document, long end) throws SQLException {
    String value = document.toJson();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO documents(id, heads, value, log_offset)"
                + " SELECT ?, ?, ?, max(log_offset) FROM log WHERE doc = ? AND log_offset <= ?"
                + " ON CONFLICT(id) DO UPDATE SET heads = excluded.heads,"
                + " value = excluded.value, log_offset = excluded.log_offset")) {
      statement.setString(1, documentId);
      statement.setString(2, Heads.toJson(document.heads()));
      statement.setString(3, value);
      statement.setString(4, documentId);
      statement.setLong(5, end);
      statement.executeUpdate();
    }
    writeFullText(documentId, value);
    for (ViewDefinition view : views.values()) {
      ViewDefinitions.fill(connection, view, Optional.of(documentId));
    }
  }

  /**
   * A snapshot costs a save of the whole document: rewriting it only after a fixed share of the
   * document ({@code 1 / divisor}) is new keeps that cost constant per change, however long the
   * document grows.
   */
  private boolean snapshotDue(Document document, int since, int divisor) {
    return since >= snapshotEvery && since >= document.changeCount() / divisor;
  }

  /**
   * Writes up to {@code max} snapshots that are due (see the class comment), of documents in the
   * cache, at the views' offset, which every cached document has reached; returns whether more are
   * due.
   */
  boolean writeDueSnapshots(int max) throws SQLException {
    awaitApplied();
    if (appliedTo != offset) {
      // The cached documents are past the offset; the next step brings it there first.
      return true;
    }
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Integer> entry : sinceSnapshot.entrySet()) {
      Document document = cache.get(entry.getKey());
      if (document != null && snapshotDue(document, entry.getValue(), 4)) {
        due.add(entry.getKey());
      }
    }
    for (String documentId : due.subList(0, Math.min(max, due.size()))) {
      writeSnapshot(documentId, java.util.Objects.requireNonNull(cache.get(documentId)), offset);
    }
    return due.size() > max;
  }

  private void writeSnapshot(String documentId, Document document, long upTo) throws SQLException {
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

  /** One FTS row per string in the value, each remembered in documents_fts_rows by rowid. */
  private void writeFullText(String documentId, String value) throws SQLException {
    deleteFullText(documentId);
    List<String[]> strings = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT fullkey, atom FROM json_tree(?) WHERE type = 'text' ORDER BY id")) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          strings.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
    }
    if (strings.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO documents_fts(doc, path, body) VALUES (?, ?, ?)");
        PreparedStatement remember =
            connection.prepareStatement(
                "INSERT INTO documents_fts_rows(doc, fts_rowid) VALUES (?, last_insert_rowid())")) {
      for (String[] string : strings) {
        insert.setString(1, documentId);
        insert.setString(2, string[0]);
        insert.setString(3, string[1]);
        insert.executeUpdate();
        remember.setString(1, documentId);
        remember.executeUpdate();
      }
    }
  }

  private void deleteFullText(String documentId) throws SQLException {
    execute(
        "DELETE FROM documents_fts WHERE rowid IN"
            + " (SELECT fts_rowid FROM documents_fts_rows WHERE doc = ?)",
        documentId);
    execute("DELETE FROM documents_fts_rows WHERE doc = ?", documentId);
  }

  private void execute(String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      statement.executeUpdate();
    }
  }
}
