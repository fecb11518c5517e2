package dev.converge.repo.sqlite;

import dev.converge.core.Document;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in consumer of the log that maintains the derived tables (the {@code documents} table,
 * full-text rows, user views) and the snapshots. It trails the log: each {@link #step} reads the
 * records after its offset, brings the affected documents up to the last of them, rewrites their
 * derived rows and moves its offset ({@value #CONSUMER} in {@code consumers}) in the same
 * transaction. Rows are recomputed from a document's whole state ({@link DerivedRows}), so applying
 * a step twice (after a crash between the rows and an acknowledgement of them, say) writes the same
 * rows: idempotent, and a rebuild from offset 0 gives identical rows.
 *
 * <p>Its mechanisms, one class each: the materialised documents ({@link DocumentCache}); the
 * entries the writer hands over after each commit, which a step applies instead of reading them
 * back from the file ({@link HandedOverEntries}); transactions that continue what the cached
 * documents hold, applied to them at once on the views' own thread ({@link ApplyAhead}, which also
 * loads the documents they touch that are not cached), after which the next step only writes rows
 * and moves the offset to where the documents are; when to write a snapshot ({@link
 * SnapshotPolicy}); and the rows themselves ({@link DerivedRows}). Applying handed-over or
 * read-back entries writes the same rows, since rows are recomputed from the document's whole
 * state.
 *
 * <p>Used by the writer thread only, inside its transactions (the views' thread is its helper).
 * Every method that reads or changes the cached documents first waits for the work handed to the
 * views' thread. After a rollback {@link #reset} forgets the cache and rereads the offset.
 */
final class ViewMaintainer {
  static final String CONSUMER = "$views";

  private final Connection connection;
  private final int stepMax;
  private final SnapshotPolicy snapshots;
  private final DocumentCache cache;
  private final HandedOverEntries handedOver;
  private final ApplyAhead applyAhead;
  private final DerivedRows rows;
  private long offset;

  /**
   * @param connection the write connection, used on the writer thread
   * @param aheadReader a read-only connection of the views' thread's own, which it closes
   * @param cacheSize documents kept materialised at most
   * @param snapshotEvery log entries of a document after which its snapshot may be rewritten
   * @param stepMax log entries one step applies at most
   * @param offeredMax handed-over entries kept at most while the views trail the log
   */
  ViewMaintainer(
      Connection connection,
      Connection aheadReader,
      int cacheSize,
      int snapshotEvery,
      int stepMax,
      int offeredMax)
      throws SQLException {
    this.connection = connection;
    this.applyAhead = new ApplyAhead(aheadReader);
    this.stepMax = stepMax;
    this.snapshots = new SnapshotPolicy(snapshotEvery);
    this.cache = new DocumentCache(cacheSize, snapshots::forget);
    this.handedOver = new HandedOverEntries(offeredMax);
    this.rows = new DerivedRows(connection);
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
  void offer(long endBefore, List<LogEntry.Committed> entries, long endAfter) {
    handedOver.offer(endBefore, entries, endAfter);
    if (endBefore == applyAhead.appliedTo() && !entries.isEmpty()) {
      applyAhead.submit(entries, endAfter, cache);
    }
  }

  /**
   * Whether the views' thread is still at work on transactions handed over (loading a large
   * document, say): a step now would wait for it, so the writer, which has appends to commit, steps
   * later instead; a reader's {@link #catchUp} waits.
   */
  boolean busyAhead() {
    return applyAhead.busy();
  }

  /**
   * Stops the views' thread once it has applied what it was handed.
   *
   * @throws SQLException if its connection does not close
   */
  void close() throws SQLException {
    applyAhead.close();
  }

  /** Drops the handed-over entries: the log lost rows, so only the file says what is left. */
  void forgetOffered() {
    handedOver.forget();
  }

  /** Forgets cached documents and rereads the offset and definitions from the database. */
  void reset() throws SQLException {
    try {
      applyAhead.await();
    } catch (RuntimeException e) {
      // What failed there touched only the cached documents, which go now.
    }
    applyAhead.clearAhead();
    cache.clear();
    snapshots.clear();
    rows.reloadDefinitions();
    offset = LogSql.consumerOffset(connection, CONSUMER);
    applyAhead.resetAppliedTo(offset);
  }

  /**
   * Applies up to {@code stepMax} records after the offset, in the current transaction; returns how
   * many (0 when the views are up to date with the log).
   *
   * @throws CorruptStoreException if a record or a document's log does not load
   */
  int step() throws SQLException {
    return step(SnapshotPolicy.Pace.UNDER_LOAD);
  }

  /**
   * Like {@link #step()}; at {@link SnapshotPolicy.Pace#IDLE} when the writer has nothing else to
   * do, so due snapshots are written at once.
   */
  int step(SnapshotPolicy.Pace pace) throws SQLException {
    applyAhead.await();
    if (applyAhead.appliedTo() > offset) {
      return stepAppliedAhead(pace);
    }
    List<LogEntry> entries = handedOver.take(offset, stepMax);
    if (entries.isEmpty()) {
      for (LogRecord record : LogSql.readLog(connection, offset, stepMax)) {
        entries.add(new LogEntry.ReadBack(record));
      }
    }
    if (entries.isEmpty()) {
      return 0;
    }
    long end = entries.get(entries.size() - 1).offset();
    // One document's records are applied together and its rows written once per step, however
    // many of its changes the step holds.
    Map<String, List<LogEntry>> byDocument = new LinkedHashMap<>();
    for (LogEntry entry : entries) {
      byDocument.computeIfAbsent(entry.documentId(), id -> new ArrayList<>()).add(entry);
    }
    for (Map.Entry<String, List<LogEntry>> entry : byDocument.entrySet()) {
      String documentId = entry.getKey();
      Document document = cache.get(documentId);
      if (document == null) {
        document = load(documentId, end);
      } else {
        DocumentCache.apply(documentId, document, entry.getValue());
        snapshots.applied(documentId, entry.getValue().size());
      }
      writeRowsAndSnapshot(documentId, document, end, pace);
    }
    offset = end;
    applyAhead.resetAppliedTo(end);
    LogSql.setConsumerOffset(connection, CONSUMER, offset);
    return entries.size();
  }

  /**
   * A step over the transactions applied ahead: the cached documents are at {@link
   * ApplyAhead#appliedTo} already (the views' thread loaded those that were not cached), so it
   * writes the rows of each document they touched (loading it up to there only if it left the cache
   * since) and moves the offset there.
   */
  private int stepAppliedAhead(SnapshotPolicy.Pace pace) throws SQLException {
    long end = applyAhead.appliedTo();
    int applied = 0;
    for (Map.Entry<String, Integer> entry : applyAhead.aheadByDocument().entrySet()) {
      String documentId = entry.getKey();
      applied += entry.getValue();
      Document document = cache.get(documentId);
      Integer loadedAfterSnapshot = applyAhead.loadedAfterSnapshot(documentId);
      if (document == null) {
        document = load(documentId, end);
      } else if (loadedAfterSnapshot != null) {
        snapshots.loaded(documentId, loadedAfterSnapshot);
      } else {
        snapshots.applied(documentId, entry.getValue());
      }
      writeRowsAndSnapshot(documentId, document, end, pace);
    }
    applyAhead.clearAhead();
    handedOver.dropThrough(end);
    offset = end;
    LogSql.setConsumerOffset(connection, CONSUMER, offset);
    return applied;
  }

  private Document load(String documentId, long upTo) throws SQLException {
    DocumentCache.Loaded loaded = cache.load(connection, documentId, upTo);
    snapshots.loaded(documentId, loaded.entriesAfterSnapshot());
    return loaded.document();
  }

  private void writeRowsAndSnapshot(
      String documentId, Document document, long end, SnapshotPolicy.Pace pace)
      throws SQLException {
    rows.write(documentId, document, end);
    snapshots.afterStep(connection, documentId, document, end, pace);
  }

  /** Steps until the views have reached the end of the log. */
  void catchUp() throws SQLException {
    while (step() > 0) {
      // Each step is bounded; keep going until the log is exhausted.
    }
  }

  /** Removes a deleted document's derived rows (its snapshot and log rows go with the log). */
  void delete(String documentId) throws SQLException {
    applyAhead.await();
    forgetOffered();
    applyAhead.forget(documentId);
    cache.remove(documentId);
    snapshots.forget(documentId);
    rows.delete(documentId);
  }

  /** Declares a view and fills it, after catching up so it is filled from current documents. */
  void defineView(ViewDefinition definition) throws SQLException {
    catchUp();
    rows.defineView(definition);
  }

  boolean dropView(String name) throws SQLException {
    return rows.dropView(name);
  }

  /**
   * Recomputes every derived row from the log alone: derived tables and snapshots are emptied and
   * the consumer starts again from offset 0.
   */
  void rebuild(ViewStore.Progress progress) throws SQLException {
    applyAhead.await();
    applyAhead.clearAhead();
    cache.clear();
    snapshots.clear();
    rows.deleteAll();
    offset = 0;
    applyAhead.resetAppliedTo(0);
    long total = LogSql.endOffset(connection);
    while (step() > 0) {
      progress.update(offset, total);
    }
    LogSql.setConsumerOffset(connection, CONSUMER, offset);
  }

  /**
   * Writes up to {@code countMax} snapshots that are due (see {@link SnapshotPolicy}), of documents
   * in the cache, at the views' offset, which every cached document has reached; returns whether
   * more are due.
   */
  boolean writeDueSnapshots(int countMax) throws SQLException {
    applyAhead.await();
    if (applyAhead.appliedTo() != offset) {
      // The cached documents are past the offset; the next step brings it there first.
      return true;
    }
    return snapshots.writeDue(connection, cache, offset, countMax);
  }
}
