package dev.converge.repo.spi;

import dev.converge.core.Change;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a repository keeps its documents: an append-only change log with a global offset (the
 * source of truth), snapshots (caches of a document at an offset), and durable offsets of named
 * consumers of the log.
 *
 * <p>Acknowledgement rule: a future returned by a write completes only after the write is durable
 * (for SQLite: after its transaction committed); it completes exceptionally with a {@link
 * dev.converge.core.ConvergeException} when the write was not made, and then nothing of it was
 * made. Writes are applied in the order they were called.
 *
 * <p>Reads never return a change whose bytes do not hash to its name: they throw {@link
 * CorruptStoreException} instead.
 *
 * <p>Thread-safety: implementations are safe for use by many threads.
 */
public interface Storage extends AutoCloseable {

  /**
   * Adds an empty document, if it is not there yet; the future fails with {@link
   * PurgedDocumentException} for a purged ID.
   */
  CompletableFuture<Void> createDocument(String documentId);

  /**
   * Appends {@code changes} of one document to the log, in order, creating the document if needed.
   * Changes the log already holds for this document are skipped (idempotence). The whole call is
   * one unit: if a change is refused, none is appended. {@code changes} come in causal order and
   * were accepted by the engine (the caller applied them to its document first); a store may check
   * them again, and must at least check that each one's dependencies are in the log.
   *
   * @return a future of the offset of the last change appended, or 0 if every change was already
   *     there; it fails with {@link dev.converge.core.MissingDependenciesException} when a change
   *     depends on changes the document lacks, or {@link dev.converge.core.CorruptDataException} if
   *     the store checks with the engine and the engine refuses a change, or {@link
   *     PurgedDocumentException} for a purged document
   */
  CompletableFuture<Long> append(String documentId, List<Change> changes);

  /**
   * Appends {@code changes} as {@link #append} does and, in the same unit, stores {@code
   * consumerOffset} as the offset the consumer {@code consumer} has consumed up to: after a crash
   * either both are there or neither, so a consumer of an outside log (a Kafka partition) that
   * resumes from its stored offset never skips a change and, changes being idempotent, re-applies
   * at most what it had not stored. With no change to append it stores the offset alone.
   *
   * <p>This default runs the two writes one after the other (writes apply in the order called, so a
   * stored offset still implies stored changes); a store with transactions overrides it to make
   * them one.
   *
   * @return a future of the offset of the last change appended, or 0 if none was
   */
  default CompletableFuture<Long> appendConsumed(
      String documentId, List<Change> changes, String consumer, long consumerOffset) {
    CompletableFuture<Long> appended =
        changes.isEmpty() ? CompletableFuture.completedFuture(0L) : append(documentId, changes);
    return appended.thenCombine(
        commitConsumerOffset(consumer, consumerOffset), (offset, stored) -> offset);
  }

  /**
   * Records what the document's log now holds (its change count and heads) as its acknowledged
   * state, after a repair merged the lost changes back: the counts recorded before the loss would
   * otherwise never match again.
   */
  CompletableFuture<Void> recordLogAsComplete(String documentId);

  /**
   * Checks every log entry and deletes those that fail a read's checks (a change whose bytes do not
   * hash to its name, an entry of a document the store does not hold), which would otherwise make
   * every read of them fail. Their documents are then short of changes, as their recorded heads
   * show: repair them from a peer ({@code Repo.repair}). A store that cannot hold such entries
   * keeps this default, which finds none.
   *
   * @return a future of the documents that lost entries, in ID order; it fails with {@link
   *     MalformedStoreException} when the store is too damaged to read or change its log
   */
  default CompletableFuture<List<String>> scrub() {
    return CompletableFuture.completedFuture(List.of());
  }

  /** Removes a document, its log entries and its snapshot; completes with whether it existed. */
  CompletableFuture<Boolean> deleteDocument(String documentId);

  /**
   * Purges a document: deletes it like {@link #deleteDocument}, remembers its ID so that the store
   * refuses to create it or append to it again ({@link PurgedDocumentException}), and wipes what
   * the store kept of it wherever the store can (for SQLite: the bytes in the file and its WAL).
   * Purging an ID the store never held still remembers it.
   *
   * @return a future of whether the document existed; it completes once the purge and the wipe are
   *     durable
   */
  CompletableFuture<Boolean> purgeDocument(String documentId);

  /** Whether {@link #purgeDocument} was called for this ID. */
  boolean isPurged(String documentId);

  /**
   * Compaction's first step, as one unit: stores {@code successorChanges} as the new document
   * {@code forward.successorId()} and records {@code forward}, so that the new document and the
   * link to it become durable together. Refused, with nothing written, when the old document is
   * unknown, purged or forwarded already, when its recorded heads are not {@code
   * forward.compactedHeads()} (it changed since its value was read), or when the successor exists.
   * A store that cannot link documents keeps this default, which refuses.
   *
   * @return a future that fails with {@link PurgedDocumentException} for a purged old document, or
   *     a {@link StorageException} of kind INVALID_ARGUMENT for the other refusals
   */
  default CompletableFuture<Void> compactDocument(Forward forward, List<Change> successorChanges) {
    return CompletableFuture.failedFuture(
        new StorageException(
            dev.converge.core.ConvergeException.Kind.UNSUPPORTED,
            "this store cannot compact documents"));
  }

  /**
   * Records a link a peer reported (a server, or the client that compacted): neither document is
   * touched, and a link already recorded for {@code forward.documentId()} stays as it is.
   *
   * @return a future of whether the link is new
   */
  default CompletableFuture<Boolean> recordForward(Forward forward) {
    return CompletableFuture.failedFuture(
        new StorageException(
            dev.converge.core.ConvergeException.Kind.UNSUPPORTED,
            "this store cannot record forwards"));
  }

  /** The link recorded for a compacted document, if it was compacted. */
  default Optional<Forward> forwardOf(String documentId) {
    return Optional.empty();
  }

  /** Every link recorded, in the order of the old documents' IDs. */
  default List<Forward> forwards() {
    return List.of();
  }

  /**
   * Remembers that {@code replica} (a peer's storage or peer ID) holds a copy of the document: what
   * a sync server keeps to know when every replica moved to a compacted document's successor.
   * Idempotent. A store that cannot remember keeps this default, which refuses.
   */
  default CompletableFuture<Void> recordReplica(String documentId, String replica) {
    return CompletableFuture.failedFuture(
        new StorageException(
            dev.converge.core.ConvergeException.Kind.UNSUPPORTED,
            "this store cannot record replicas"));
  }

  /** The replicas {@link #recordReplica} recorded for the document, sorted. */
  default List<String> replicas(String documentId) {
    return List.of();
  }

  /**
   * Records that the document was used (read, synced or written) at {@code epochMillis}, unless a
   * later use is recorded already: what retention counts a document's age from. A store that cannot
   * record keeps this default, which refuses.
   */
  default CompletableFuture<Void> touch(String documentId, long epochMillis) {
    return CompletableFuture.failedFuture(
        new StorageException(
            dev.converge.core.ConvergeException.Kind.UNSUPPORTED,
            "this store cannot record when documents were used"));
  }

  /**
   * When each document the store holds was last {@link #touch touched}, by document ID; a document
   * never touched is absent.
   */
  default java.util.Map<String, Long> touchedMillis() {
    return java.util.Map.of();
  }

  /** Completes after every write called before it is durable. */
  CompletableFuture<Void> flush();

  /** Stores the offset {@code name} has consumed the log up to. */
  CompletableFuture<Void> commitConsumerOffset(String name, long offset);

  boolean containsDocument(String documentId);

  /** Every document, in ID order. */
  List<String> documentIds();

  /** Up to {@code limit} log entries at offsets above {@code afterOffset}, in offset order. */
  List<LogRecord> readLog(long afterOffset, int limit);

  /** The log entries of one document at offsets above {@code afterOffset}, in offset order. */
  List<LogRecord> readDocument(String documentId, long afterOffset);

  /** The latest snapshot of a document, if one was cached. */
  Optional<Snapshot> snapshot(String documentId);

  /** The offset of the last durable log entry; 0 when the log is empty. */
  long endOffset();

  /**
   * Waits until a log entry above {@code afterOffset} is durable, or {@code timeout} passed;
   * returns the highest durable offset then (at most {@code afterOffset} on a timeout).
   *
   * @throws StorageException of kind CLOSED if the store is or gets closed
   * @throws InterruptedException if the waiting thread is interrupted
   */
  long awaitEndOffset(long afterOffset, java.time.Duration timeout) throws InterruptedException;

  /**
   * The heads the store recorded for a document when its last append committed; empty for an
   * unknown or empty document. A document loaded from the log must contain every one of them, or
   * the log lost acknowledged changes.
   */
  List<dev.converge.core.ChangeHash> recordedHeads(String documentId);

  /** The offset {@code name} last committed; 0 if it never committed one. */
  long consumerOffset(String name);

  /** The SQL views of this store, if it has them. */
  Optional<ViewStore> views();

  /** Waits for pending writes, then releases the store. Later calls throw. */
  @Override
  void close();
}
