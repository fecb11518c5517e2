package dev.converge.repo.sealed;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.ViewStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A store whose appends, once {@link #hold} is called, wait until {@link #release} (they then reach
 * the store underneath) or {@link #crash} (they fail and never reach it: the process died before
 * its log held them). Everything else goes to the store underneath at once. Closing it leaves the
 * store underneath open, so that a test can reopen a repository over what survived.
 */
final class HeldAppends implements Storage {
  private record Held(String documentId, List<Change> changes, CompletableFuture<Long> done) {}

  private final Storage under;
  private final List<Held> held = new ArrayList<>();
  private boolean holding;

  HeldAppends(Storage under) {
    this.under = under;
  }

  synchronized void hold() {
    holding = true;
  }

  synchronized int heldCount() {
    return held.size();
  }

  synchronized void release() {
    holding = false;
    for (Held one : held) {
      var unused =
          under
              .append(one.documentId(), one.changes())
              .whenComplete(
                  (offset, failure) -> {
                    if (failure != null) {
                      one.done().completeExceptionally(failure);
                    } else {
                      one.done().complete(offset);
                    }
                  });
    }
    held.clear();
  }

  synchronized void crash() {
    holding = false;
    for (Held one : held) {
      one.done()
          .completeExceptionally(
              new StorageException(
                  dev.converge.core.ConvergeException.Kind.CLOSED, "the process died"));
    }
    held.clear();
  }

  @Override
  public synchronized CompletableFuture<Long> append(String documentId, List<Change> changes) {
    if (!holding) {
      return under.append(documentId, changes);
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    held.add(new Held(documentId, List.copyOf(changes), done));
    return done;
  }

  @Override
  public CompletableFuture<Void> createDocument(String documentId) {
    return under.createDocument(documentId);
  }

  @Override
  public CompletableFuture<Void> recordLogAsComplete(String documentId) {
    return under.recordLogAsComplete(documentId);
  }

  @Override
  public CompletableFuture<Boolean> deleteDocument(String documentId) {
    return under.deleteDocument(documentId);
  }

  @Override
  public CompletableFuture<Boolean> purgeDocument(String documentId) {
    return under.purgeDocument(documentId);
  }

  @Override
  public boolean isPurged(String documentId) {
    return under.isPurged(documentId);
  }

  @Override
  public CompletableFuture<Void> flush() {
    return under.flush();
  }

  @Override
  public CompletableFuture<Void> commitConsumerOffset(String name, long offset) {
    return under.commitConsumerOffset(name, offset);
  }

  @Override
  public boolean containsDocument(String documentId) {
    return under.containsDocument(documentId);
  }

  @Override
  public List<String> documentIds() {
    return under.documentIds();
  }

  @Override
  public List<LogRecord> readLog(long afterOffset, int limit) {
    return under.readLog(afterOffset, limit);
  }

  @Override
  public List<LogRecord> readDocument(String documentId, long afterOffset) {
    return under.readDocument(documentId, afterOffset);
  }

  @Override
  public Optional<Snapshot> snapshot(String documentId) {
    return under.snapshot(documentId);
  }

  @Override
  public long endOffset() {
    return under.endOffset();
  }

  @Override
  public long awaitEndOffset(long afterOffset, Duration timeout) throws InterruptedException {
    return under.awaitEndOffset(afterOffset, timeout);
  }

  @Override
  public List<ChangeHash> recordedHeads(String documentId) {
    return under.recordedHeads(documentId);
  }

  @Override
  public long consumerOffset(String name) {
    return under.consumerOffset(name);
  }

  @Override
  public Optional<ViewStore> views() {
    return under.views();
  }

  @Override
  public void close() {
    // The store underneath outlives this view of it: see the class comment.
  }
}
