package dev.converge.repo;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.LostChangesException;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.sqlite.StoreSalvage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link Repo}'s repairs of a damaged store: dropping entries that fail their hash ({@link
 * #scrub}), rebuilding a document's log from a peer's changes ({@link #repair}), rescuing what a
 * malformed SQLite file still holds ({@link #salvage}), and the check that a loaded document
 * reaches every head the store recorded ({@link #requireRecordedHeads}).
 *
 * <p>Thread-safety: {@link #scrub} and {@link #repair} are called under the repository's loaders'
 * lock, so no load of a document runs beside its repair.
 */
final class RepoRepair {
  private final Repo repo;
  private final Storage storage;

  RepoRepair(Repo repo, Storage storage) {
    this.repo = repo;
    this.storage = storage;
  }

  /** See {@link Repo#salvage}. */
  static StoreSalvage.Report salvage(Path directory, RepoOptions options) {
    return StoreSalvage.salvage(directory, options.storage(), RepoRepair::isDocumentId);
  }

  private static boolean isDocumentId(String text) {
    try {
      DocumentId.parse(text);
      return true;
    } catch (ConvergeException e) {
      return false; // Not a document ID: a damaged name, which the salvage leaves out.
    }
  }

  /**
   * Throws {@link LostChangesException} unless {@code document} holds every head in {@code
   * recorded}: the store acknowledged them, so a log that no longer reaches one lost changes.
   */
  static void requireRecordedHeads(String key, Document document, List<ChangeHash> recorded) {
    List<ChangeHash> missing = new ArrayList<>();
    for (ChangeHash head : recorded) {
      if (!document.hasChange(head)) {
        missing.add(head);
      }
    }
    if (!missing.isEmpty()) {
      throw new LostChangesException(
          "document "
              + key
              + " lost acknowledged changes: its log no longer reaches recorded heads "
              + missing
              + "; repair it from a peer that has them",
          Optional.of(key),
          missing);
    }
  }

  /**
   * See {@link Repo#scrub}; {@code evict} drops the cached handle of each damaged document. Called
   * under the loaders' lock.
   */
  List<DocumentId> scrub(Consumer<DocumentId> evict) {
    List<DocumentId> damaged = new ArrayList<>();
    for (String key : Futures.join(storage.scrub())) {
      DocumentId id = DocumentId.parse(key);
      evict.accept(id);
      damaged.add(id);
    }
    return List.copyOf(damaged);
  }

  /**
   * See {@link Repo#repair}: the repaired handle, durable, not yet cached nor handed out. Called
   * under the loaders' lock, with the document's cached handle dropped.
   */
  DocHandle repair(DocumentId id, List<Change> fromPeer) {
    String key = id.toString();
    Futures.join(storage.flush());
    if (!storage.containsDocument(key)) {
      throw new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, "no document " + id);
    }
    List<ChangeHash> recorded;
    try {
      recorded = storage.recordedHeads(key);
    } catch (CorruptStoreException e) {
      // The record of the heads is damaged itself: the peer's changes are the only witness
      // left, and recordLogAsComplete below writes a sound record of the repaired log.
      recorded = List.of();
    }
    List<LogRecord> records;
    try {
      records = storage.readDocument(key, 0);
    } catch (CorruptStoreException e) {
      // Damaged entries (a change that does not match its hash): drop them, and take the
      // changes they held from the peer like any other lost change.
      Futures.join(storage.scrub());
      records = storage.readDocument(key, 0);
    }
    Set<ChangeHash> inLog = new HashSet<>();
    List<Change> logged = new ArrayList<>();
    for (LogRecord record : records) {
      inLog.add(record.hash());
      logged.add(Change.fromBytes(record.bytes()));
    }
    Document document = Document.create();
    document.applyChanges(logged);
    document.applyChanges(fromPeer);
    if (!document.missingDeps().isEmpty()) {
      throw new LostChangesException(
          "document " + key + " still lacks " + document.missingDeps() + " after the repair",
          Optional.of(key),
          document.missingDeps());
    }
    requireRecordedHeads(key, document, recorded);
    List<Change> lacking = new ArrayList<>();
    for (Change change : document.changes()) {
      if (!inLog.contains(change.hash())) {
        lacking.add(change);
      }
    }
    if (!lacking.isEmpty()) {
      Futures.join(storage.append(key, lacking));
    }
    Futures.join(storage.recordLogAsComplete(key));
    return repo.newHandle(
        id, repo.withActor(id, document), CompletableFuture.completedFuture(null));
  }
}
