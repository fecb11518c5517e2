package dev.converge.repo.memory;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.MissingDependenciesException;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.ViewStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Storage} in memory, with the same rules as the SQLite store (duplicates skipped, a
 * change with missing dependencies refused, the whole append refused with it) but no snapshots and
 * no SQL views. Every write is "durable" at once.
 *
 * <p>Thread-safety: every method is synchronized.
 */
public final class InMemoryStorage implements Storage {
  private final List<LogRecord> log = new ArrayList<>();
  private final TreeMap<String, Document> documents = new TreeMap<>();
  private final Map<String, Long> consumers = new HashMap<>();
  private final Set<String> purged = new HashSet<>();
  private final TreeMap<String, Forward> forwards = new TreeMap<>();
  private final Map<String, TreeSet<String>> replicas = new HashMap<>();
  private final Map<String, Long> touched = new HashMap<>();
  private long lastOffset;
  private boolean closed;

  /** An empty, open storage. */
  public InMemoryStorage() {}

  @Override
  public synchronized CompletableFuture<Void> createDocument(String documentId) {
    requireOpen();
    if (purged.contains(documentId)) {
      return CompletableFuture.failedFuture(new PurgedDocumentException(documentId));
    }
    documents.computeIfAbsent(documentId, id -> Document.create());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Long> append(String documentId, List<Change> changes) {
    requireOpen();
    if (purged.contains(documentId)) {
      return CompletableFuture.failedFuture(new PurgedDocumentException(documentId));
    }
    Document document = documents.get(documentId);
    // Linear in the changes appended: new ones are picked with a set, and the document is checked
    // before it is touched instead of copied for a trial (a copy per append made an import of n
    // changes, one by one, cost n^2).
    Map<ChangeHash, Change> fresh = new LinkedHashMap<>();
    for (Change change : changes) {
      if ((document == null || document.getChange(change.hash()).isEmpty())) {
        fresh.putIfAbsent(change.hash(), change);
      }
    }
    TreeSet<ChangeHash> missing = new TreeSet<>();
    for (Change change : fresh.values()) {
      for (ChangeHash dep : change.deps()) {
        if (!fresh.containsKey(dep) && (document == null || document.getChange(dep).isEmpty())) {
          missing.add(dep);
        }
      }
    }
    if (!missing.isEmpty()) {
      return CompletableFuture.failedFuture(new MissingDependenciesException(List.copyOf(missing)));
    }
    Document target = document == null ? Document.create() : document;
    try {
      // Whole or nothing: a change that contradicts the document leaves it as it was.
      target.applyChanges(fresh.values());
    } catch (ConvergeException e) {
      return CompletableFuture.failedFuture(e);
    }
    documents.put(documentId, target);
    long last = 0;
    for (Change change : fresh.values()) {
      last = ++lastOffset;
      log.add(new LogRecord(last, documentId, change.hash(), change.toBytes()));
    }
    if (!fresh.isEmpty()) {
      notifyAll();
    }
    return CompletableFuture.completedFuture(last);
  }

  /**
   * The document an append changes in place: the same object from one append to the next (a copy
   * per append would make an import of n changes, one by one, cost n^2); for tests.
   */
  synchronized Optional<Document> document(String documentId) {
    return Optional.ofNullable(documents.get(documentId));
  }

  @Override
  public synchronized CompletableFuture<Void> recordLogAsComplete(String documentId) {
    requireOpen();
    // The documents here are the log itself; there is no separate record to bring in line.
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Boolean> deleteDocument(String documentId) {
    requireOpen();
    log.removeIf(record -> record.documentId().equals(documentId));
    replicas.remove(documentId);
    touched.remove(documentId);
    return CompletableFuture.completedFuture(documents.remove(documentId) != null);
  }

  /** {@inheritDoc} Here the memory is simply dropped; the JVM may still hold it until collected. */
  @Override
  public synchronized CompletableFuture<Boolean> purgeDocument(String documentId) {
    requireOpen();
    purged.add(documentId);
    return deleteDocument(documentId);
  }

  @Override
  public synchronized boolean isPurged(String documentId) {
    requireOpen();
    return purged.contains(documentId);
  }

  @Override
  public synchronized CompletableFuture<Void> compactDocument(
      Forward forward, List<Change> successorChanges) {
    requireOpen();
    String old = forward.documentId();
    String refusal = null;
    if (purged.contains(old)) {
      return CompletableFuture.failedFuture(new PurgedDocumentException(old));
    } else if (forwards.containsKey(old)) {
      refusal = old + " was compacted already, into " + forwards.get(old).successorId();
    } else if (!documents.containsKey(old)) {
      refusal = "no document " + old;
    } else if (!new HashSet<>(documents.get(old).heads())
        .equals(new HashSet<>(forward.compactedHeads()))) {
      refusal = old + " changed while it was compacted; compact it again";
    } else if (documents.containsKey(forward.successorId())
        || purged.contains(forward.successorId())) {
      refusal = "the successor " + forward.successorId() + " exists already";
    }
    if (refusal != null) {
      return CompletableFuture.failedFuture(
          new StorageException(ConvergeException.Kind.INVALID_ARGUMENT, "compact: " + refusal));
    }
    CompletableFuture<Long> appended = append(forward.successorId(), successorChanges);
    if (!appended.isCompletedExceptionally()) {
      forwards.put(old, forward);
    }
    return appended.thenApply(offset -> null);
  }

  @Override
  public synchronized CompletableFuture<Boolean> recordForward(Forward forward) {
    requireOpen();
    return CompletableFuture.completedFuture(
        forwards.putIfAbsent(forward.documentId(), forward) == null);
  }

  @Override
  public synchronized Optional<Forward> forwardOf(String documentId) {
    requireOpen();
    return Optional.ofNullable(forwards.get(documentId));
  }

  @Override
  public synchronized List<Forward> forwards() {
    requireOpen();
    return List.copyOf(forwards.values());
  }

  @Override
  public synchronized CompletableFuture<Void> recordReplica(String documentId, String replica) {
    requireOpen();
    replicas.computeIfAbsent(documentId, id -> new TreeSet<>()).add(replica);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized List<String> replicas(String documentId) {
    requireOpen();
    return List.copyOf(replicas.getOrDefault(documentId, new TreeSet<>()));
  }

  @Override
  public synchronized CompletableFuture<Void> touch(String documentId, long epochMillis) {
    requireOpen();
    touched.merge(documentId, epochMillis, Math::max);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized Map<String, Long> touchedMillis() {
    requireOpen();
    Map<String, Long> held = new TreeMap<>(touched);
    held.keySet().retainAll(documents.keySet());
    return held;
  }

  @Override
  public synchronized CompletableFuture<Void> flush() {
    requireOpen();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> commitConsumerOffset(String name, long offset) {
    requireOpen();
    consumers.put(name, offset);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized boolean containsDocument(String documentId) {
    requireOpen();
    return documents.containsKey(documentId);
  }

  @Override
  public synchronized List<String> documentIds() {
    requireOpen();
    return List.copyOf(documents.keySet());
  }

  @Override
  public synchronized List<LogRecord> readLog(long afterOffset, int limit) {
    requireOpen();
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord record : log) {
      if (record.offset() > afterOffset && out.size() < limit) {
        out.add(record);
      }
    }
    return out;
  }

  @Override
  public synchronized List<LogRecord> readDocument(String documentId, long afterOffset) {
    requireOpen();
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord record : log) {
      if (record.offset() > afterOffset && record.documentId().equals(documentId)) {
        out.add(record);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<Snapshot> snapshot(String documentId) {
    requireOpen();
    return Optional.empty();
  }

  @Override
  public synchronized long endOffset() {
    requireOpen();
    return lastOffset;
  }

  @Override
  public synchronized long awaitEndOffset(long afterOffset, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lastOffset <= afterOffset) {
      requireOpen();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return lastOffset;
  }

  @Override
  public synchronized List<ChangeHash> recordedHeads(String documentId) {
    requireOpen();
    Document document = documents.get(documentId);
    return document == null ? List.of() : document.heads();
  }

  @Override
  public synchronized long consumerOffset(String name) {
    requireOpen();
    return consumers.getOrDefault(name, 0L);
  }

  @Override
  public Optional<ViewStore> views() {
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  private void requireOpen() {
    if (closed) {
      throw new StorageException(ConvergeException.Kind.CLOSED, "the store is closed");
    }
  }
}
