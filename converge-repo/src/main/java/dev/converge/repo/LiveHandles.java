package dev.converge.repo;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every handle a {@link Repo} made that someone may still hold, per document, whether or not the
 * repository's cache still has it: a handle evicted from the cache but kept by its caller still
 * writes to the document, so a compaction must retire it as well as the cached one. Handles are
 * held weakly: one nobody holds any more is forgotten once it is collected.
 *
 * <p>While a document is being retired ({@link #retireAll}), a handle made for it is retired as it
 * is added, so a load racing the compaction cannot hand out a handle that takes writes.
 *
 * <p>Thread-safety: safe for use by many threads. Takes a handle's lock inside its own, and is
 * never called with a handle's lock held.
 */
final class LiveHandles {
  /** A weak reference that remembers its document, to drop it from the map once collected. */
  private static final class Entry extends WeakReference<DocHandle> {
    final DocumentId id;

    Entry(DocHandle handle, ReferenceQueue<DocHandle> queue) {
      super(handle, queue);
      this.id = handle.id();
    }
  }

  private final Map<DocumentId, List<Entry>> byDocument = new HashMap<>();
  private final Map<DocumentId, DocumentId> retiring = new HashMap<>();
  private final ReferenceQueue<DocHandle> collected = new ReferenceQueue<>();

  /**
   * Remembers {@code handle}, made just now and not yet handed out; retires it if its document is
   * being retired.
   */
  synchronized DocHandle add(DocHandle handle) {
    forgetCollected();
    byDocument
        .computeIfAbsent(handle.id(), id -> new ArrayList<>())
        .add(new Entry(handle, collected));
    @Nullable DocumentId successor = retiring.get(handle.id());
    if (successor != null) {
      var unused = handle.retireNow(successor);
    }
    return handle;
  }

  /**
   * Retires every live handle of {@code id} in favour of {@code successorId}, and every handle made
   * for it until {@link #endRetiring}: after this returns no handle of the document takes a write.
   *
   * @return the handles this call retired (not those an earlier compaction had retired)
   */
  List<DocHandle> retireAll(DocumentId id, DocumentId successorId) {
    List<DocHandle> handles;
    synchronized (this) {
      retiring.put(id, successorId);
      handles = live(id);
    }
    List<DocHandle> retired = new ArrayList<>();
    for (DocHandle handle : handles) {
      if (handle.retireNow(successorId)) {
        retired.add(handle);
      }
    }
    return retired;
  }

  /**
   * Stops retiring the handles made for {@code id}; with {@code undo}, the handles a {@link
   * #retireAll} retired take writes again (its compaction stored nothing).
   */
  void endRetiring(DocumentId id, List<DocHandle> undo) {
    synchronized (this) {
      retiring.remove(id);
    }
    for (DocHandle handle : undo) {
      handle.unretire();
    }
  }

  /** How many handles of {@code id} are remembered and not yet collected: for tests. */
  synchronized int liveCount(DocumentId id) {
    forgetCollected();
    return live(id).size();
  }

  private List<DocHandle> live(DocumentId id) {
    List<DocHandle> handles = new ArrayList<>();
    for (Entry entry : byDocument.getOrDefault(id, List.of())) {
      DocHandle handle = entry.get();
      if (handle != null) {
        handles.add(handle);
      }
    }
    return handles;
  }

  private void forgetCollected() {
    for (Reference<? extends DocHandle> gone = collected.poll();
        gone != null;
        gone = collected.poll()) {
      Entry entry = (Entry) gone;
      List<Entry> entries = byDocument.get(entry.id);
      if (entries != null) {
        entries.remove(entry);
        if (entries.isEmpty()) {
          byDocument.remove(entry.id);
        }
      }
    }
  }
}
