package dev.converge.repo.spi;

import dev.converge.core.CorruptDataException;
import dev.converge.core.Document;
import dev.converge.core.MissingDependenciesException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Materialises a document from its snapshot and the log entries after it. The snapshot is a cache:
 * when it does not load, or does not agree with the log, the document is rebuilt from its whole
 * log. The log is the truth: when it does not load, or a change it holds is missing from the
 * result, that is a {@link CorruptStoreException}.
 */
public final class DocumentLoader {
  private DocumentLoader() {}

  /**
   * The document holding {@code snapshot} and {@code afterSnapshot}, or else all of {@code
   * wholeLog}; it commits as a fresh random actor. Without a snapshot, {@code afterSnapshot} is the
   * whole log and {@code wholeLog} is not read.
   *
   * @throws CorruptStoreException if the log entries do not form a loadable, complete history
   */
  public static Document load(
      String documentId,
      @Nullable Snapshot snapshot,
      List<LogRecord> afterSnapshot,
      Supplier<List<LogRecord>> wholeLog) {
    if (snapshot != null) {
      try {
        return loadChecked(documentId, snapshot.bytes(), afterSnapshot);
      } catch (CorruptDataException | MissingDependenciesException e) {
        // A broken snapshot is a stale cache, not lost data: fall back to the log below.
      }
    }
    return loadChecked(documentId, new byte[0], snapshot == null ? afterSnapshot : wholeLog.get());
  }

  private static Document loadChecked(String documentId, byte[] prefix, List<LogRecord> records) {
    if (prefix.length == 0 && records.isEmpty()) {
      return Document.create();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(prefix.length + 256 * records.size());
    bytes.write(prefix, 0, prefix.length);
    for (LogRecord record : records) {
      record.writeTo(bytes);
    }
    Document document;
    try {
      document = Document.load(bytes.toByteArray());
    } catch (CorruptDataException | MissingDependenciesException e) {
      if (prefix.length > 0) {
        throw e;
      }
      throw new CorruptStoreException(
          "the log of document " + documentId + " does not load: " + e.getMessage(), e);
    }
    if (!document.missingDeps().isEmpty()) {
      if (prefix.length > 0) {
        throw new MissingDependenciesException(document.missingDeps());
      }
      throw new CorruptStoreException(
          "the log of document " + documentId + " lacks " + document.missingDeps());
    }
    for (LogRecord record : records) {
      if (!document.hasChange(record.hash())) {
        throw new CorruptStoreException(
            "log entry " + record.offset() + " of document " + documentId + " did not load");
      }
    }
    return document;
  }
}
