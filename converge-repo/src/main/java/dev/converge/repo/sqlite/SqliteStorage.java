package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.LostChangesException;
import dev.converge.repo.spi.MalformedStoreException;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.StorageFutures;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link Storage}: one SQLite file in WAL mode with {@code synchronous=FULL}. Writes go
 * through a {@link GroupCommitWriter}; reads use a second, query-only connection, so they see only
 * committed (acknowledged) data. Every change read is verified against its hash.
 *
 * <p>Why FULL and not NORMAL: in WAL mode NORMAL skips the fsync at commit, so a commit survives a
 * process crash but not a power cut, and Converge promises that an acknowledged change survives
 * power loss on a disk that honours fsync. FULL fsyncs the WAL at every commit; group commit shares
 * that fsync among every writer waiting, which is what keeps durable throughput high.
 *
 * <p>The views ({@link ViewStore}) trail the log and are advanced by the writer thread ({@link
 * ViewMaintainer}); {@link #query} first lets them catch up, so a query sees every acknowledged
 * change.
 *
 * <p>One store opens a directory at a time: open takes an exclusive {@link DirectoryLock} and close
 * releases it ({@link dev.converge.repo.spi.StoreInUseException} otherwise).
 *
 * <p>On open, the schema version is checked before anything is written; a store left open by a
 * process that died is checked with {@code PRAGMA quick_check} and by comparing the documents'
 * recorded change counts with the log ({@link LostChangesException} when the log has fewer); every
 * open compares the log's end with an {@link AckedOffsetWitness} kept beside the file.
 *
 * <p>Thread-safety: safe for use by many threads; reads are serialised on the read connection.
 */
public final class SqliteStorage implements Storage, ViewStore {
  /** The file a store keeps in its directory. */
  public static final String FILE_NAME = "converge.sqlite";

  private final Path file;
  private final DirectoryLock lock;
  private final Connection reader;
  private final UserQueries queries;
  private final GroupCommitWriter writer;
  private final CommittedEnd committedEnd;

  private SqliteStorage(StoreOpening.Opened opened, Options options) {
    this.file = opened.file();
    this.lock = opened.lock();
    this.reader = opened.reader();
    this.queries = new UserQueries(file);
    this.committedEnd = new CommittedEnd(opened.witness(), opened.state().endOffset());
    this.writer =
        new GroupCommitWriter(
            opened.writer(),
            opened.state(),
            options.batchMax(),
            options.viewLagMax(),
            committedEnd::committed);
  }

  /**
   * Opens the store in {@code directory}, creating the directory and the store if they are missing
   * and {@code ifMissing} says so.
   *
   * @throws StorageException of kind INVALID_ARGUMENT if the directory is missing (and {@code
   *     ifMissing} is {@link IfMissing#REFUSE}), not a directory, or not writable
   * @throws dev.converge.repo.spi.StoreInUseException if another store holds the directory
   * @throws CorruptStoreException if the file is not a Converge store; {@link
   *     MalformedStoreException} if SQLite finds it malformed or its check fails
   * @throws dev.converge.repo.spi.UnsupportedSchemaVersionException if the schema is unknown
   */
  public static SqliteStorage open(Path directory, IfMissing ifMissing, Options options) {
    return new SqliteStorage(StoreOpening.open(directory, ifMissing, options), options);
  }

  /**
   * Tuning of a store.
   *
   * @param cacheSize documents the writer keeps materialised for the views
   * @param snapshotEvery log entries of a document after which its snapshot is rewritten
   * @param batchMax writes committed together at most
   * @param viewLagMax log entries the views may trail the log by under a sustained load
   * @param storeBytesMax the size the file may grow to, 0 for no limit: past it, writes fail with a
   *     {@link StorageException} of kind LIMIT_EXCEEDED (as on a full disk) and reads keep working
   * @param lostChanges whether to open a store that lost acknowledged changes, to get them back
   *     from a peer (see {@link LostChanges})
   */
  public record Options(
      int cacheSize,
      int snapshotEvery,
      int batchMax,
      int viewLagMax,
      long storeBytesMax,
      LostChanges lostChanges) {
    public static final Options DEFAULT =
        new Options(1000, 256, 65_536, 20_000, 0, LostChanges.REFUSE);

    public Options {
      if (cacheSize < 1 || snapshotEvery < 1 || batchMax < 1 || viewLagMax < 1) {
        throw new IllegalArgumentException(
            "options must be >= 1: "
                + cacheSize
                + ", "
                + snapshotEvery
                + ", "
                + batchMax
                + ", "
                + viewLagMax);
      }
      if (storeBytesMax < 0) {
        throw new IllegalArgumentException("storeBytesMax must be >= 0, found " + storeBytesMax);
      }
      Objects.requireNonNull(lostChanges, "lostChanges");
    }

    public Options withCacheSize(int cacheSize) {
      return new Options(
          cacheSize, snapshotEvery, batchMax, viewLagMax, storeBytesMax, lostChanges);
    }

    public Options withStoreBytesMax(long storeBytesMax) {
      return new Options(
          cacheSize, snapshotEvery, batchMax, viewLagMax, storeBytesMax, lostChanges);
    }

    public Options withLostChanges(LostChanges lostChanges) {
      return new Options(
          cacheSize, snapshotEvery, batchMax, viewLagMax, storeBytesMax, lostChanges);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public CompletableFuture<Void> createDocument(String documentId) {
    return run(state -> state.createDocument(documentId));
  }

  @Override
  public CompletableFuture<Long> append(String documentId, List<Change> changes) {
    List<Change> copy = List.copyOf(changes);
    return writer.submit(state -> state.append(documentId, copy));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: one piece of work for the writer thread, so the log rows and the consumer's row commit
   * in one SQLite transaction.
   */
  @Override
  public CompletableFuture<Long> appendConsumed(
      String documentId, List<Change> changes, String consumer, long consumerOffset) {
    List<Change> copy = List.copyOf(changes);
    return writer.submit(
        state -> {
          long last = copy.isEmpty() ? 0L : state.append(documentId, copy);
          LogSql.setConsumerOffset(state.connection(), consumer, consumerOffset);
          return last;
        });
  }

  @Override
  public CompletableFuture<Void> recordLogAsComplete(String documentId) {
    return run(state -> state.recordLogAsComplete(documentId));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: a scan of the whole log on the writer thread, deleting in one transaction the entries
   * whose bytes do not hash to their hash or that name a document the store does not hold.
   */
  @Override
  public CompletableFuture<List<String>> scrub() {
    return writer.submit(state -> state.scrub().documents());
  }

  @Override
  public CompletableFuture<Boolean> deleteDocument(String documentId) {
    return writer.submit(state -> state.delete(documentId));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: the rows go in one transaction with the tombstone ({@code secure_delete} zeroes what
   * they held), then the WAL is checkpointed and truncated; only the first purge of a store
   * upgraded from schema version 2 also rebuilds the file ({@code VACUUM}, in proportion to the
   * whole store). See {@link Purge}. Writes queued after the purge wait for both.
   */
  @Override
  public CompletableFuture<Boolean> purgeDocument(String documentId) {
    CompletableFuture<Boolean> deleted = writer.submit(state -> state.purge(documentId));
    CompletableFuture<Void> wiped =
        writer.submitAlone(
            state -> {
              state.prepareAgain();
              Purge.wipe(state.connection());
              return null;
            });
    return deleted.thenCombine(wiped, (existed, done) -> existed);
  }

  @Override
  public boolean isPurged(String documentId) {
    return read(connection -> Purge.isPurged(connection, documentId));
  }

  @Override
  public CompletableFuture<Void> compactDocument(Forward forward, List<Change> successorChanges) {
    List<Change> copy = List.copyOf(successorChanges);
    return run(state -> Forwards.compact(state, forward, copy));
  }

  @Override
  public CompletableFuture<Boolean> recordForward(Forward forward) {
    return writer.submit(state -> Forwards.insert(state.connection(), forward));
  }

  @Override
  public Optional<Forward> forwardOf(String documentId) {
    return read(connection -> Forwards.find(connection, documentId));
  }

  @Override
  public List<Forward> forwards() {
    return read(Forwards::all);
  }

  @Override
  public CompletableFuture<Void> recordReplica(String documentId, String replica) {
    return run(state -> Tracking.recordReplica(state.connection(), documentId, replica));
  }

  @Override
  public List<String> replicas(String documentId) {
    return read(connection -> Tracking.replicas(connection, documentId));
  }

  @Override
  public CompletableFuture<Void> touch(String documentId, long epochMillis) {
    return run(state -> Tracking.touch(state.connection(), documentId, epochMillis));
  }

  @Override
  public Map<String, Long> touchedMillis() {
    return read(Tracking::touchedMillis);
  }

  @Override
  public CompletableFuture<Void> flush() {
    return writer.submit(state -> null);
  }

  @Override
  public CompletableFuture<Void> commitConsumerOffset(String name, long offset) {
    return run(state -> LogSql.setConsumerOffset(state.connection(), name, offset));
  }

  /**
   * {@inheritDoc}
   *
   * @throws CorruptStoreException if the store does not list the document but its log holds entries
   *     of it (its row in {@code docs} was damaged)
   */
  @Override
  public boolean containsDocument(String documentId) {
    return read(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT 1 FROM docs WHERE id = ?")) {
            statement.setString(1, documentId);
            try (ResultSet rows = statement.executeQuery()) {
              if (rows.next()) {
                return true;
              }
            }
          }
          if (LogSql.hasEntries(connection, documentId)) {
            throw new CorruptStoreException(
                "the log holds entries of document "
                    + LogSql.quoted(documentId)
                    + " but the store does not list it");
          }
          return false;
        });
  }

  @Override
  public List<String> documentIds() {
    return read(LogSql::documentIds);
  }

  @Override
  public List<LogRecord> readLog(long afterOffset, int limit) {
    return read(connection -> LogSql.readLog(connection, afterOffset, limit));
  }

  @Override
  public List<LogRecord> readDocument(String documentId, long afterOffset) {
    return read(
        connection -> LogSql.readDocument(connection, documentId, afterOffset, Long.MAX_VALUE));
  }

  @Override
  public Optional<Snapshot> snapshot(String documentId) {
    return read(connection -> LogSql.snapshot(connection, documentId));
  }

  @Override
  public long endOffset() {
    return read(LogSql::endOffset);
  }

  @Override
  public List<ChangeHash> recordedHeads(String documentId) {
    return read(
        connection ->
            LogSql.recorded(connection, documentId).map(LogSql.Recorded::heads).orElse(List.of()));
  }

  @Override
  public long awaitEndOffset(long afterOffset, Duration timeout) throws InterruptedException {
    return committedEnd.await(afterOffset, timeout, writer::requireOpen);
  }

  @Override
  public long consumerOffset(String name) {
    return read(connection -> LogSql.consumerOffset(connection, name));
  }

  @Override
  public Optional<ViewStore> views() {
    return Optional.of(this);
  }

  @Override
  public void defineView(ViewDefinition definition) {
    StorageFutures.join(run(state -> state.views().defineView(definition)));
  }

  @Override
  public boolean dropView(String name) {
    return StorageFutures.join(writer.submit(state -> state.views().dropView(name)));
  }

  @Override
  public List<ViewDefinition> viewDefinitions() {
    return read(ViewDefinitions::readAll);
  }

  @Override
  public void rebuildViews(ViewStore.Progress progress) {
    StorageFutures.join(run(state -> state.views().rebuild(progress)));
  }

  /** Brings the views up to every change acknowledged so far; {@link #query} does this first. */
  public void catchUpViews() {
    StorageFutures.join(run(state -> state.views().catchUp()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Read-only by construction: the text must be one statement starting with SELECT, WITH or
   * VALUES ({@link QueryText}); it runs on a connection of its own ({@link UserQueries}), opened
   * with SQLite's read-only flag and {@code query_only}, that may attach no database, so no
   * statement it runs can write to any file.
   */
  @Override
  public List<Map<String, @Nullable Object>> query(String sql, int rowsMax) {
    if (rowsMax < 1) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "rowsMax must be at least 1, found " + rowsMax);
    }
    String statementText = QueryText.requireOneRead(sql);
    catchUpViews();
    synchronized (reader) {
      writer.requireOpen();
      try {
        return queries.run(statementText, rowsMax);
      } catch (SQLException e) {
        throw new ConvergeException(
            ConvergeException.Kind.INVALID_ARGUMENT,
            "query failed: " + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " "),
            e);
      }
    }
  }

  /** Runs {@code PRAGMA integrity_check} and returns its first line ("ok" when sound). */
  public String integrityCheck() {
    return read(
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            rows.next();
            return rows.getString(1);
          }
        });
  }

  @Override
  public void close() {
    try {
      writer.close();
      committedEnd.close();
      synchronized (reader) {
        queries.close();
        reader.close();
      }
    } catch (SQLException e) {
      throw SqlErrors.map("closing " + file, e);
    } finally {
      // Last: the next process may open the directory only once this store wrote everything.
      lock.close();
    }
  }

  /** Work for the writer thread that returns nothing. */
  private interface Step {
    void run(LogState state) throws SQLException;
  }

  private CompletableFuture<Void> run(Step step) {
    return writer.submit(
        state -> {
          step.run(state);
          return null;
        });
  }

  private <T> T read(Unchecked.SqlSupplierOf<T> work) {
    synchronized (reader) {
      writer.requireOpen();
      try {
        return work.apply(reader);
      } catch (SQLException e) {
        throw SqlErrors.map("reading " + file, e);
      }
    }
  }
}
