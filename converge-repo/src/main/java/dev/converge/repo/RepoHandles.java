package dev.converge.repo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.repo.spi.DocumentLoader;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The handles a {@link Repo} hands out: the bounded cache of loaded documents, the handles prepared
 * but not yet stored, the loaders (one at a time), the actor each document's first handle gets, and
 * the listeners told of every handle handed out.
 *
 * <p>Thread-safety: safe for use by many threads. Loads, and whatever must not interleave with a
 * load ({@link #exclusive}), run under one lock; listeners are called outside it.
 */
final class RepoHandles {
  private final Storage storage;
  private final RepoOptions options;
  private final Cache<DocumentId, DocHandle> handles;

  /**
   * Handles from {@link #findOrPrepare} not yet stored, held only as long as their caller holds
   * them: one handle per document while anyone uses it, and nothing left of one nobody wrote to.
   */
  private final Cache<DocumentId, DocHandle> prepared;

  private final Object loading = new Object();
  private final LiveHandles live = new LiveHandles();
  private final List<Repo.DocumentListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<DocumentId> givenActor = ConcurrentHashMap.newKeySet();

  RepoHandles(Storage storage, RepoOptions options) {
    this.storage = storage;
    this.options = options;
    this.handles = Caffeine.newBuilder().maximumSize(options.cacheSize()).build();
    this.prepared = Caffeine.newBuilder().weakValues().build();
  }

  void addListener(Repo.DocumentListener listener) {
    listeners.add(listener);
  }

  void removeListener(Repo.DocumentListener listener) {
    listeners.remove(listener);
  }

  /** The cached handles that are not broken; see {@link Repo#openHandles}. */
  List<DocHandle> open() {
    List<DocHandle> open = new ArrayList<>();
    for (DocHandle handle : handles.asMap().values()) {
      if (!handle.isBroken()) {
        open.add(handle);
      }
    }
    return List.copyOf(open);
  }

  /** Caches a handle made outside the loaders (a new document, a successor) and tells listeners. */
  void handOut(DocHandle handle) {
    handles.put(handle.id(), handle);
    tellOpened(handle);
  }

  /** Tells the listeners of {@code handle}, handed out for the first time; outside any lock. */
  void tellOpened(DocHandle handle) {
    for (Repo.DocumentListener listener : listeners) {
      listener.opened(handle);
    }
  }

  /** See {@link Repo#find(DocumentId)}. */
  Optional<DocHandle> find(DocumentId id) {
    DocHandle cached = handles.getIfPresent(id);
    if (cached != null && !cached.isBroken()) {
      return Optional.of(cached);
    }
    // One loader at a time: two concurrent loads of one document would make two handles whose
    // documents then drift apart.
    Optional<DocHandle> found;
    synchronized (loading) {
      found = findLoaded(id);
    }
    if (found.isPresent() && found.get() != cached) {
      tellOpened(found.get()); // outside the lock: listeners may take their own locks
    }
    return found;
  }

  /** See {@link Repo#findOrCreate}. */
  DocHandle findOrCreate(DocumentId id) {
    DocHandle before = handles.getIfPresent(id);
    DocHandle handle;
    @Nullable CompletableFuture<Void> adoptedWhen = null;
    synchronized (loading) {
      Optional<DocHandle> found = findLoaded(id);
      if (found.isPresent()) {
        handle = found.get();
      } else {
        requireNotPurged(id);
        DocHandle waiting = prepared.getIfPresent(id);
        CompletableFuture<Void> created = storage.createDocument(id.toString());
        if (waiting != null) {
          // Stored now: its caller and this one share it, and it is cached like any other.
          handle = waiting;
          adoptedWhen = created;
          prepared.invalidate(id);
        } else {
          handle = newHandle(id, withActor(id, Document.create()), created);
        }
        handles.put(id, handle);
      }
    }
    if (adoptedWhen != null) {
      handle.storedBy(adoptedWhen); // outside the loaders' lock: it takes the handle's
    } else if (handle != before) {
      tellOpened(handle);
    }
    return handle;
  }

  /** See {@link Repo#findOrPrepare}. */
  DocHandle findOrPrepare(DocumentId id) {
    DocHandle handle;
    boolean fresh = false;
    synchronized (loading) {
      Optional<DocHandle> found = findLoaded(id);
      if (found.isPresent()) {
        return found.get();
      }
      handle = prepared.getIfPresent(id);
      if (handle == null) {
        requireNotPurged(id);
        fresh = true;
        handle =
            newHandle(
                id, withActor(id, Document.create()), CompletableFuture.completedFuture(null));
        DocHandle made = handle;
        handle.beforeFirstAppend(() -> adopt(made));
        prepared.put(id, handle);
      }
    }
    if (fresh) {
      tellOpened(handle);
    }
    return handle;
  }

  /**
   * A prepared handle is about to append its first change: from now on it is the stored document's
   * handle. Called under the handle's lock; takes the loaders' lock after it (no code holding the
   * loaders' lock waits for a handle's).
   */
  private void adopt(DocHandle handle) {
    synchronized (loading) {
      prepared.invalidate(handle.id());
      handles.put(handle.id(), handle);
    }
  }

  private Optional<DocHandle> findLoaded(DocumentId id) {
    DocHandle cached = handles.getIfPresent(id);
    if (cached != null && !cached.isBroken()) {
      return Optional.of(cached);
    }
    Futures.join(storage.flush());
    if (!storage.containsDocument(id.toString())) {
      return Optional.empty();
    }
    DocHandle loaded =
        newHandle(id, withActor(id, loadDocument(id)), CompletableFuture.completedFuture(null));
    handles.put(id, loaded);
    return Optional.of(loaded);
  }

  /**
   * Runs {@code action} under the loaders' lock: for what drops or replaces a document's handle
   * (delete, purge, scrub, repair), so that no load caches a handle of what is being changed.
   */
  <T> T exclusive(Supplier<T> action) {
    synchronized (loading) {
      return action.get();
    }
  }

  /** Drops the document's cached and prepared handles; call inside {@link #exclusive}. */
  void forget(DocumentId id) {
    handles.invalidate(id);
    prepared.invalidate(id);
  }

  /** Drops the document's cached handle, as a full cache does. */
  void evict(DocumentId id) {
    handles.invalidate(id);
  }

  /** Caches {@code handle} without telling listeners; call inside {@link #exclusive}. */
  void cache(DocHandle handle) {
    handles.put(handle.id(), handle);
  }

  void clear() {
    handles.invalidateAll();
  }

  /** Throws if the document was purged. */
  void requireNotPurged(DocumentId id) {
    if (storage.isPurged(id.toString())) {
      throw new PurgedDocumentException(id.toString());
    }
  }

  /** See {@link Repo#withActor}. */
  Document withActor(DocumentId id, Document document) {
    if (options.actor().isPresent() && givenActor.add(id)) {
      document.setActor(options.actor().get());
    }
    return document;
  }

  /** See {@link Repo#newHandle}. */
  DocHandle newHandle(DocumentId id, Document document, CompletableFuture<Void> durable) {
    return live.add(new DocHandle(id, document, storage, durable));
  }

  LiveHandles live() {
    return live;
  }

  /** See {@link Repo#loadToRead}. */
  DocHandle loadToRead(DocumentId id) {
    return new DocHandle(id, loadDocument(id), storage, CompletableFuture.completedFuture(null));
  }

  private Document loadDocument(DocumentId id) {
    String key = id.toString();
    // The recorded heads are read before the log: the log read after them can only be newer, and a
    // newer log still contains them.
    List<ChangeHash> recorded = storage.recordedHeads(key);
    Optional<Snapshot> snapshot = storage.snapshot(key);
    List<LogRecord> after = storage.readDocument(key, snapshot.map(Snapshot::offset).orElse(0L));
    Document document =
        DocumentLoader.load(key, snapshot.orElse(null), after, () -> storage.readDocument(key, 0));
    RepoRepair.requireRecordedHeads(key, document, recorded);
    return document;
  }
}
