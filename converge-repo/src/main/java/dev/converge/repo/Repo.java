package dev.converge.repo;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.repo.memory.InMemoryStorage;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.LostChangesException;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.spi.ViewStore;
import dev.converge.repo.sqlite.SqliteStorage;
import dev.converge.repo.sqlite.StoreSalvage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A repository of documents over a {@link Storage}: by default one SQLite file in a directory.
 *
 * <p>The log is the database. A document is loaded on demand from its snapshot and the log entries
 * after it, kept in a bounded cache of handles, and evicted when the cache is full; every change
 * made through a {@link DocHandle} is appended to the log, and is acknowledged ({@link
 * DocHandle#whenDurable}) only after the transaction holding it committed.
 *
 * <p>Each loaded document writes as a fresh random actor, so a store rolled back to an older copy
 * can never make two different changes with one (actor, seq) pair; {@link RepoOptions#actor} can
 * name the actor of each document's first handle instead, for a process that owns its store alone.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
public final class Repo implements AutoCloseable {
  private final Storage storage;
  private final RepoOptions options;
  private final RepoHandles handles;
  private final ChangeStream stream;
  private final RepoCompactions compactions;
  private final RepoRepair repairs;

  /**
   * Told of every handle this repository hands out for the first time: one {@link #create}d, one
   * loaded from the store (on a first {@link #find}, after an eviction, or in place of a broken
   * handle), one {@link #findOrCreate} made, one {@link #repair} rebuilt. The network layer uses it
   * to sync every open document, whoever opened it. Called on the thread that asked, after the
   * handle is in the cache and with no lock of this repository held; must not block. Threads that
   * race to load one document may both report its handle: listeners must be idempotent.
   */
  @FunctionalInterface
  public interface DocumentListener {
    void opened(DocHandle handle);
  }

  private Repo(Storage storage, RepoOptions options) {
    this.storage = storage;
    this.options = options;
    this.handles = new RepoHandles(storage, options);
    this.stream = new ChangeStream(storage);
    this.compactions = new RepoCompactions(this, storage, options);
    this.repairs = new RepoRepair(this, storage);
  }

  /**
   * Opens (creating if missing) the repository in {@code directory}.
   *
   * @throws dev.converge.repo.spi.StorageException if the directory cannot hold a store
   * @throws dev.converge.repo.spi.CorruptStoreException if the store is damaged
   * @throws dev.converge.repo.spi.UnsupportedSchemaVersionException if its schema is unknown
   */
  public static Repo open(Path directory) {
    return open(directory, RepoOptions.defaults());
  }

  /** Opens the repository in {@code directory} with {@code options}; throws as {@link #open}. */
  public static Repo open(Path directory, RepoOptions options) {
    return new Repo(SqliteStorage.open(directory, options.ifMissing(), options.storage()), options);
  }

  /**
   * Rescues what the damaged store in {@code directory} still holds into a fresh store there, for a
   * store SQLite finds malformed ({@link dev.converge.repo.spi.MalformedStoreException} from an
   * open, a read, a {@link #scrub} or a {@link #repair}): the damaged files are moved aside ({@code
   * converge.sqlite.damaged-N}), every change that can still be read and matches its hash is kept,
   * under the document it was stored for. Open the repository afterwards and sync every document
   * with a peer to get back what was lost (a document that then fails to load is {@link #repair
   * repaired} from the peer).
   *
   * @throws dev.converge.repo.spi.StorageException of kind INVALID_ARGUMENT if {@code directory}
   *     holds no store or its files cannot be moved
   * @throws dev.converge.repo.spi.StoreInUseException if a store is open on {@code directory}
   */
  public static StoreSalvage.Report salvage(Path directory, RepoOptions options) {
    return RepoRepair.salvage(directory, options);
  }

  /** A repository over any store. */
  public static Repo open(Storage storage, RepoOptions options) {
    return new Repo(storage, options);
  }

  /** A repository in memory, for tests. */
  public static Repo inMemory() {
    return new Repo(new InMemoryStorage(), RepoOptions.defaults());
  }

  /** A new empty document; its creation is durable once {@link DocHandle#whenDurable} says so. */
  public DocHandle create() {
    DocumentId id = DocumentId.random(options.random());
    CompletableFuture<Void> created = storage.createDocument(id.toString());
    DocHandle handle = newHandle(id, withActor(id, Document.create()), created);
    handles.handOut(handle);
    return handle;
  }

  /**
   * Tells {@code listener} of every handle handed out from now on; see {@link DocumentListener}.
   */
  public void addDocumentListener(DocumentListener listener) {
    handles.addListener(listener);
  }

  public void removeDocumentListener(DocumentListener listener) {
    handles.removeListener(listener);
  }

  /**
   * The handles in memory now and not broken, in no particular order: a snapshot for a {@link
   * DocumentListener} added late, which hears only of handles handed out after it, to learn of
   * those handed out before (the network layer syncs them all). A handle handed out while this runs
   * may be missing from the result; a listener added before the call is told of it.
   */
  public List<DocHandle> openHandles() {
    return handles.open();
  }

  /** Caches a handle made outside the loaders (a compaction's successor) and tells listeners. */
  void handOut(DocHandle handle) {
    handles.handOut(handle);
  }

  /**
   * The document {@code id}, loaded from the store if it is not in memory.
   *
   * @throws dev.converge.repo.spi.CorruptStoreException if its log is damaged
   * @throws LostChangesException if its log lost changes the store acknowledged (see {@link
   *     #repair})
   */
  public Optional<DocHandle> find(DocumentId id) {
    return handles.find(id);
  }

  /**
   * The document {@code id}, created empty if the repository has none: for documents whose ID a
   * peer chose.
   *
   * @throws PurgedDocumentException if the document was {@link #purge purged}
   */
  public DocHandle findOrCreate(DocumentId id) {
    return handles.findOrCreate(id);
  }

  /**
   * The document {@code id}, or, if the repository has none, an empty handle for it that is stored
   * only with its first change: for a document a peer names that may never get one, such as a
   * server's copy of a document a client announces, which must leave nothing behind if the client
   * sends no change. Until then {@link #find} and {@link #list} do not know the document, and two
   * calls get the same handle as long as the first caller holds it.
   *
   * @throws PurgedDocumentException if the document was {@link #purge purged}
   */
  public DocHandle findOrPrepare(DocumentId id) {
    return handles.findOrPrepare(id);
  }

  /** The document a URL names (its heads, if any, are ignored: the handle is the latest state). */
  public Optional<DocHandle> find(AutomergeUrl url) {
    return find(url.documentId());
  }

  /** Every document, in ID order. */
  public List<DocumentId> list() {
    List<DocumentId> ids = new ArrayList<>();
    for (String id : storage.documentIds()) {
      ids.add(DocumentId.parse(id));
    }
    return ids;
  }

  /** Deletes a document and its history; waits until that is durable. */
  public boolean delete(DocumentId id) {
    // Under the loaders' lock: a load between dropping the handle and queueing the delete would
    // read the document still stored and cache a handle to what is about to be deleted.
    return dropThen(() -> handles.evict(id), () -> storage.deleteDocument(id.toString()));
  }

  /** Under the loaders' lock, drops handles with {@code drop} and queues {@code write}; waits. */
  private boolean dropThen(Runnable drop, Supplier<CompletableFuture<Boolean>> write) {
    return Futures.join(
        handles.exclusive(
            () -> {
              drop.run();
              return write.get();
            }));
  }

  /**
   * Purges a document: deletes it as {@link #delete} does, overwrites what the store kept of it so
   * that no earlier content can be read back from its files (for the SQLite store: its rows, free
   * space and WAL; see {@code SqliteStorage#purgeDocument}), and remembers its ID, so that this
   * repository refuses to create or sync it again ({@link PurgedDocumentException}). Waits until
   * all that is durable. Handles of the document still held elsewhere refuse their next write.
   * Purging an ID the repository never held still remembers it.
   *
   * @return whether the repository held the document
   * @throws dev.converge.repo.spi.StorageException if the store failed; of kind IO when the rows
   *     were deleted but the wipe must be retried (it is, at the next purge or open)
   */
  public boolean purge(DocumentId id) {
    return dropThen(() -> handles.forget(id), () -> storage.purgeDocument(id.toString()));
  }

  /** Drops the document's handle from the cache, as a full cache does: for tests. */
  void evict(DocumentId id) {
    handles.evict(id);
  }

  /** The store, for tests in this package. */
  Storage storage() {
    return storage;
  }

  /** Whether {@link #purge} was called for this ID, here or in an earlier process. */
  public boolean isPurged(DocumentId id) {
    return storage.isPurged(id.toString());
  }

  /**
   * Compacts a document: makes a new document (a fresh ID) holding only the current value of {@code
   * id} in one change, records the link from the old ID to it ({@link #forwardOf}), both durable in
   * one transaction, then {@link #purge purges} the old document here. Automerge's format has no
   * history-less form of a document, so the history goes with the old ID. The value is kept exactly
   * (types, counters, text with its marks, lists, nested maps), but not the values that lost a
   * conflict, nor the expand setting of marks (see {@code ValueCopy}). Peers learn the link through
   * a sync server, which purges its own copy once every replica it knows has moved.
   *
   * <p>From the moment before its value is copied, every handle of the old document refuses writes
   * ({@link DocumentCompactedException}, naming the successor), including one the cache dropped
   * that a caller still holds: a write after the copy would be stored and then purged, lost
   * although acknowledged, and it cannot be carried over, since the successor is another Automerge
   * document with its own objects. The copy is of what the store holds once the writes made before
   * are flushed, whichever handle made them. If the compaction fails to store, the handles take
   * writes again.
   *
   * <p>If the process dies after the new document and the link are stored but before the old one is
   * purged, compacting the old ID again finishes the purge and returns the same successor.
   *
   * @return the new document's handle
   * @throws PurgedDocumentException if the document was purged
   * @throws ConvergeException of kind INVALID_ARGUMENT if there is no such document, if it was
   *     compacted already (and purged, or its successor is not here), or if it changed during the
   *     compaction
   */
  public DocHandle compact(DocumentId id) {
    return compactions.compact(id);
  }

  /**
   * Remembers that {@code replica} (a peer's storage or peer ID) synced the document: what a sync
   * server keeps to tell when every replica of a compacted document moved to its successor. Does
   * not wait for the write.
   */
  public void recordReplica(DocumentId id, String replica) {
    var unused = storage.recordReplica(id.toString(), replica);
  }

  /** The replicas {@link #recordReplica} remembered for the document, sorted. */
  public List<String> replicas(DocumentId id) {
    Futures.join(storage.flush());
    return storage.replicas(id.toString());
  }

  /**
   * The link a compaction left from {@code id} to its successor, recorded here or learned from a
   * peer ({@link #recordForward}).
   */
  public Optional<Forward> forwardOf(DocumentId id) {
    return storage.forwardOf(id.toString());
  }

  /** Every link recorded here, in the order of the old documents' IDs. */
  public List<Forward> forwards() {
    return storage.forwards();
  }

  /**
   * The document that now holds {@code id}'s value: {@code id} itself if it was never compacted,
   * else its successor's, following links one after another (at most {@value
   * RepoCompactions#FORWARDS_MAX}).
   *
   * @throws ConvergeException of kind CORRUPT_DATA if the links loop or run longer than that
   */
  public DocumentId resolve(DocumentId id) {
    return compactions.resolve(id);
  }

  /**
   * Records a link learned from a peer, without touching either document: the old one stays until
   * {@link #settleForward} finds it safe to purge.
   *
   * @return whether the link is new here
   */
  public boolean recordForward(Forward forward) {
    return compactions.recordForward(forward);
  }

  /**
   * Purges a compacted document's local copy if that loses nothing: its successor is stored here,
   * and the copy holds no change the compaction did not see (every head of it is one of the
   * compacted heads, or an ancestor of them). A copy with edits made after the compaction, or one
   * that cannot be shown to have none, is kept. The check and the refusal of later writes to the
   * old copy's handle ({@link DocumentCompactedException}) are one step, so no write lands between
   * the check and the purge.
   *
   * @return whether the old copy is gone (purged now or before)
   */
  public boolean settleForward(DocumentId id) {
    return compactions.settleForward(id);
  }

  /** Throws if the document was purged. */
  void requireNotPurged(DocumentId id) {
    handles.requireNotPurged(id);
  }

  /**
   * Imports a saved Automerge file as a new document.
   *
   * @throws dev.converge.core.CorruptDataException if the bytes are not an Automerge file
   */
  public DocHandle importDocument(byte[] bytes) {
    Document loaded = Document.load(bytes);
    DocHandle handle = create();
    handle.applyChanges(loaded.changes());
    return handle;
  }

  /**
   * Merges a saved Automerge file into document {@code id}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if there is no such document
   * @throws dev.converge.core.CorruptDataException if the bytes are not an Automerge file or the
   *     engine refuses their changes; nothing changed then
   */
  public DocHandle importInto(DocumentId id, byte[] bytes) {
    Document loaded = Document.load(bytes);
    DocHandle handle =
        find(id)
            .orElseThrow(
                () ->
                    new ConvergeException(
                        ConvergeException.Kind.INVALID_ARGUMENT, "no document " + id));
    List<Change> changes = loaded.changes();
    handle.applyChanges(changes);
    return handle;
  }

  /** The log as a stream. */
  public ChangeStream changes() {
    return stream;
  }

  /** The SQL views, when the store has them (the SQLite store does). */
  public Optional<ViewStore> views() {
    return storage.views();
  }

  /** Waits until every write made so far is durable. */
  public void flush() {
    Futures.join(storage.flush());
  }

  /** Waits for pending writes and closes the store. */
  @Override
  public void close() {
    handles.clear();
    storage.close();
  }

  /**
   * Gives {@code document} the actor of {@link RepoOptions#actor} if this is the first handle of
   * {@code id}; a later one keeps its fresh random actor, since an earlier handle may still be held
   * and writing as the persisted one.
   */
  Document withActor(DocumentId id, Document document) {
    return handles.withActor(id, document);
  }

  /**
   * A new handle of {@code id} over {@code document}, remembered among the document's live handles
   * (so that a compaction retires it even once the cache dropped it).
   */
  DocHandle newHandle(DocumentId id, Document document, CompletableFuture<Void> durable) {
    return handles.newHandle(id, document, durable);
  }

  /** Every handle of each document that someone may still hold. */
  LiveHandles liveHandles() {
    return handles.live();
  }

  /**
   * A handle of {@code id} as the store holds it now, to read only: neither cached nor handed out,
   * nor told to listeners. Throws as {@link #find}.
   */
  DocHandle loadToRead(DocumentId id) {
    return handles.loadToRead(id);
  }

  /**
   * Checks every change of the log against its hash, and every entry for a document the store
   * holds, and drops the entries that fail (damage inside a row, which SQLite does not notice and
   * which would otherwise make every read of them fail). Returns the documents that lost entries:
   * each then fails to load ({@link LostChangesException}, or {@link
   * dev.converge.repo.spi.CorruptStoreException} for a missing dependency) until it is repaired
   * from a peer that has its changes ({@link #repair}). {@link #repair} scrubs by itself when it
   * meets a damaged entry.
   *
   * @throws dev.converge.repo.spi.MalformedStoreException if SQLite finds the store malformed, or
   *     an entry cannot be deleted; {@link #salvage} it instead
   */
  public List<DocumentId> scrub() {
    return handles.exclusive(() -> repairs.scrub(handles::evict));
  }

  /**
   * Repairs a document whose log lost acknowledged changes ({@link LostChangesException}, or a
   * {@link dev.converge.repo.spi.CorruptStoreException} for a log that lacks dependencies) from a
   * peer that has them: merges what the log still holds with {@code fromPeer} (a peer's {@link
   * DocHandle#changes}, or {@code Document.load(savedBytes).changes()}), checks that the result
   * reaches every head the store recorded, appends the changes the log lacks, and records the
   * repaired log as complete. Returns the repaired handle, once durable. When the log holds a
   * damaged entry (a change that does not match its hash), the store is {@link #scrub scrubbed}
   * first; when the record of the document's heads is itself damaged, the peer's changes are taken
   * as they are, and the record rewritten.
   *
   * @throws LostChangesException if the peer's changes do not restore every recorded head, or leave
   *     dependencies missing; nothing but a scrub's deletion of damaged entries was written then
   * @throws dev.converge.repo.spi.MalformedStoreException if SQLite finds the store malformed
   *     ({@link #salvage} it)
   * @throws ConvergeException of kind INVALID_ARGUMENT if there is no such document
   */
  public DocHandle repair(DocumentId id, List<Change> fromPeer) {
    DocHandle handle =
        handles.exclusive(
            () -> {
              handles.evict(id);
              DocHandle repaired = repairs.repair(id, fromPeer);
              handles.cache(repaired);
              return repaired;
            });
    handles.tellOpened(handle);
    return handle;
  }
}
