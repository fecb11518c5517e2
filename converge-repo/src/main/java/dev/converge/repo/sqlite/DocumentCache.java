package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.DocumentLoader;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The documents the views keep materialised, least recently used first out. A document that is not
 * cached is loaded from its snapshot and its log up to the offset a step reaches ({@link #load}); a
 * cached one is brought forward by applying the step's entries ({@link #apply}).
 *
 * <p>Used by the writer thread, and by the views' thread for the transactions applied ahead, never
 * by both at once ({@link ApplyAhead} keeps them apart).
 */
final class DocumentCache {
  /** A document loaded, and how many log entries it replayed after its snapshot. */
  record Loaded(Document document, int entriesAfterSnapshot) {}

  private final Map<String, Document> documents;

  /**
   * @param documentsMax documents kept at most
   * @param evicted told of each document that leaves the cache to make room for another
   */
  DocumentCache(int documentsMax, Consumer<String> evicted) {
    this.documents =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Document> eldest) {
            if (size() > documentsMax) {
              evicted.accept(eldest.getKey());
              return true;
            }
            return false;
          }
        };
  }

  /** The cached document, now the most recently used; null when it is not cached. */
  @Nullable Document get(String documentId) {
    return documents.get(documentId);
  }

  void remove(String documentId) {
    documents.remove(documentId);
  }

  void clear() {
    documents.clear();
  }

  /**
   * Loads a document from its snapshot and its log up to {@code upTo} and caches it.
   *
   * @throws CorruptStoreException if its log does not load
   */
  Loaded load(Connection connection, String documentId, long upTo) throws SQLException {
    Optional<Snapshot> snapshot = LogSql.snapshot(connection, documentId);
    long after = snapshot.map(Snapshot::offset).orElse(0L);
    List<LogRecord> records = LogSql.readDocument(connection, documentId, after, upTo);
    Document document =
        DocumentLoader.load(
            documentId,
            snapshot.orElse(null),
            records,
            () -> Unchecked.sql(() -> LogSql.readDocument(connection, documentId, 0, upTo)));
    documents.put(documentId, document);
    return new Loaded(document, records.size());
  }

  /**
   * Applies a step's entries of one cached document. They are all new to it (the document holds
   * exactly the log up to the views' offset, and a document's log holds a change once, by {@code
   * UNIQUE(doc, actor, seq)}), and {@link Document#applyChanges} skips any it holds anyway, so they
   * are not looked up first: that lookup cost the serial writer thread a hash probe per change.
   *
   * @throws CorruptStoreException if the document then lacks a dependency
   */
  static void apply(String documentId, Document document, List<LogEntry> entries) {
    List<Change> changes = new ArrayList<>(entries.size());
    for (LogEntry entry : entries) {
      changes.add(entry.change());
    }
    document.applyChanges(changes);
    if (!document.missingDeps().isEmpty()) {
      throw new CorruptStoreException(
          "the log of document " + documentId + " lacks " + document.missingDeps());
    }
  }
}
