package dev.converge.net.client;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.ViewStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another store, whose appends fail while {@link #failAppends} is set (as on a full disk), and
 * which runs {@link #beforeDelete} just before it deletes a document.
 */
final class FlakyStorage implements Storage {
  private final Storage inner;
  volatile boolean failAppends;
  final AtomicInteger failedAppends = new AtomicInteger();
  volatile Runnable beforeDelete = () -> {};

  FlakyStorage(Storage inner) {
    this.inner = inner;
  }

  @Override
  public CompletableFuture<Long> append(String documentId, List<Change> changes) {
    if (failAppends) {
      failedAppends.incrementAndGet();
      return CompletableFuture.failedFuture(
          new StorageException(ConvergeException.Kind.IO, "test: the disk is full"));
    }
    return inner.append(documentId, changes);
  }

  @Override
  public CompletableFuture<Void> createDocument(String documentId) {
    return inner.createDocument(documentId);
  }

  @Override
  public CompletableFuture<Void> recordLogAsComplete(String documentId) {
    return inner.recordLogAsComplete(documentId);
  }

  @Override
  public CompletableFuture<Boolean> deleteDocument(String documentId) {
    beforeDelete.run();
    return inner.deleteDocument(documentId);
  }

  @Override
  public CompletableFuture<Boolean> purgeDocument(String documentId) {
    return inner.purgeDocument(documentId);
  }

  @Override
  public boolean isPurged(String documentId) {
    return inner.isPurged(documentId);
  }

  @Override
  public CompletableFuture<Void> flush() {
    return inner.flush();
  }

  @Override
  public CompletableFuture<Void> commitConsumerOffset(String name, long offset) {
    return inner.commitConsumerOffset(name, offset);
  }

  @Override
  public boolean containsDocument(String documentId) {
    return inner.containsDocument(documentId);
  }

  @Override
  public List<String> documentIds() {
    return inner.documentIds();
  }

  @Override
  public List<LogRecord> readLog(long afterOffset, int limit) {
    return inner.readLog(afterOffset, limit);
  }

  @Override
  public List<LogRecord> readDocument(String documentId, long afterOffset) {
    return inner.readDocument(documentId, afterOffset);
  }

  @Override
  public Optional<Snapshot> snapshot(String documentId) {
    return inner.snapshot(documentId);
  }

  @Override
  public long endOffset() {
    return inner.endOffset();
  }

  @Override
  public long awaitEndOffset(long afterOffset, Duration timeout) throws InterruptedException {
    return inner.awaitEndOffset(afterOffset, timeout);
  }

  @Override
  public List<ChangeHash> recordedHeads(String documentId) {
    return inner.recordedHeads(documentId);
  }

  @Override
  public long consumerOffset(String name) {
    return inner.consumerOffset(name);
  }

  @Override
  public Optional<ViewStore> views() {
    return inner.views();
  }

  @Override
  public void close() {
    inner.close();
  }
}
