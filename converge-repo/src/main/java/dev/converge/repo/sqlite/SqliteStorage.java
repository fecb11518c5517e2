package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Snapshot;
import dev.converge.repo.spi.Storage;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * The default {@link Storage}: one SQLite file in WAL mode with {@code synchronous=FULL}. Writes go
 * through a {@link GroupCommitWriter}; reads use a second, query-only connection, so they see only
 * committed (acknowledged) data. Every change read is verified against its hash.
 *
 * <p>On open, the schema version is checked before anything is written; a store left open by a
 * process that died is checked with {@code PRAGMA quick_check}.
 *
 * <p>Thread-safety: safe for use by many threads; reads are serialised on the read connection.
 */
public final class SqliteStorage implements Storage, ViewStore {
  /** The file a store keeps in its directory. */
  public static final String FILE_NAME = "converge.sqlite";

  private final Path file;
  private final Connection reader;
  private final GroupCommitWriter writer;

  private SqliteStorage(Path file, Connection reader, GroupCommitWriter writer) {
    this.file = file;
    this.reader = reader;
    this.writer = writer;
  }

  /**
   * Opens the store in {@code directory}, creating the directory and the store when {@code create}
   * is true.
   *
   * @throws StorageException of kind INVALID_ARGUMENT if the directory is missing (and {@code
   *     create} is false), not a directory, or not writable
   * @throws CorruptStoreException if the file is not a Converge store or fails SQLite's check
   * @throws dev.converge.repo.spi.UnsupportedSchemaVersionException if the schema is unknown
   */
  public static SqliteStorage open(Path directory, boolean create, Options options) {
    Path file = directory.resolve(FILE_NAME);
    if (!create && !Files.isRegularFile(file)) {
      throw new StorageException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "no Converge repository in " + directory + " (expected " + FILE_NAME + ")");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StorageException(
          ConvergeException.Kind.INVALID_ARGUMENT, "cannot create directory " + directory, e);
    }
    if (!Files.isWritable(directory)) {
      throw new StorageException(
          ConvergeException.Kind.INVALID_ARGUMENT, "directory " + directory + " is not writable");
    }
    Connection writeConnection = null;
    Connection readConnection = null;
    try {
      writeConnection = connect(file, false);
      boolean unclean = Schema.createOrCheck(writeConnection);
      if (unclean) {
        quickCheck(writeConnection);
      }
      try (Statement statement = writeConnection.createStatement()) {
        statement.execute("UPDATE meta SET value = 1 WHERE key = 'open'");
      }
      writeConnection.commit();
      LogState state = new LogState(writeConnection, options.cacheSize(), options.snapshotEvery());
      if (LogSql.consumerOffset(writeConnection, LogState.VIEWS_CONSUMER) != state.endOffset()) {
        state.rebuild();
        writeConnection.commit();
      }
      readConnection = connect(file, true);
      return new SqliteStorage(
          file, readConnection, new GroupCommitWriter(writeConnection, state, options.batchMax()));
    } catch (SQLException | RuntimeException e) {
      closeQuietly(readConnection, e);
      closeQuietly(writeConnection, e);
      if (e instanceof SQLException sql) {
        throw SqlErrors.map("cannot open " + file, sql);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Tuning of a store.
   *
   * @param cacheSize documents the writer keeps materialised for the views
   * @param snapshotEvery log entries of a document after which its snapshot is rewritten
   * @param batchMax writes committed together at most
   */
  public record Options(int cacheSize, int snapshotEvery, int batchMax) {
    public static final Options DEFAULT = new Options(1000, 256, 4096);

    public Options {
      if (cacheSize < 1 || snapshotEvery < 1 || batchMax < 1) {
        throw new IllegalArgumentException(
            "options must be >= 1: " + cacheSize + ", " + snapshotEvery + ", " + batchMax);
      }
    }
  }

  private static Connection connect(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    Connection connection = config.createConnection("jdbc:sqlite:" + file);
    if (readOnly) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA query_only = 1");
      }
    }
    connection.setAutoCommit(readOnly);
    return connection;
  }

  private static void quickCheck(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
      rows.next();
      String result = rows.getString(1);
      if (!"ok".equals(result)) {
        throw new CorruptStoreException("SQLite quick_check failed: " + result);
      }
    }
  }

  private static void closeQuietly(@Nullable Connection connection, Exception primary) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        primary.addSuppressed(e);
      }
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public CompletableFuture<Void> createDocument(String documentId) {
    return writer.submit(
        state -> {
          state.createDocument(documentId);
          return null;
        });
  }

  @Override
  public CompletableFuture<Long> append(String documentId, List<Change> changes) {
    List<Change> copy = List.copyOf(changes);
    return writer.submit(state -> state.append(documentId, copy));
  }

  @Override
  public CompletableFuture<Boolean> deleteDocument(String documentId) {
    return writer.submit(state -> state.delete(documentId));
  }

  @Override
  public CompletableFuture<Void> flush() {
    return writer.submit(state -> null);
  }

  @Override
  public CompletableFuture<Void> commitConsumerOffset(String name, long offset) {
    return writer.submit(
        state -> {
          LogSql.setConsumerOffset(state.connection(), name, offset);
          return null;
        });
  }

  @Override
  public boolean containsDocument(String documentId) {
    return read(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT 1 FROM docs WHERE id = ?")) {
            statement.setString(1, documentId);
            try (ResultSet rows = statement.executeQuery()) {
              return rows.next();
            }
          }
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
    return read(connection -> LogSql.readDocument(connection, documentId, afterOffset));
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
  public long consumerOffset(String name) {
    return read(connection -> LogSql.consumerOffset(connection, name));
  }

  @Override
  public Optional<ViewStore> views() {
    return Optional.of(this);
  }

  @Override
  public void defineView(ViewDefinition definition) {
    GroupCommitWriter.join(
        writer.submit(
            state -> {
              state.defineView(definition);
              return null;
            }));
  }

  @Override
  public boolean dropView(String name) {
    return GroupCommitWriter.join(writer.submit(state -> state.dropView(name)));
  }

  @Override
  public List<ViewDefinition> viewDefinitions() {
    return read(ViewDefinitions::readAll);
  }

  @Override
  public void rebuildViews() {
    GroupCommitWriter.join(
        writer.submit(
            state -> {
              state.rebuild();
              return null;
            }));
  }

  @Override
  public List<Map<String, @Nullable Object>> query(String sql, int maxRows) {
    return read(
        connection -> {
          List<Map<String, @Nullable Object>> out = new ArrayList<>();
          try (Statement statement = connection.createStatement()) {
            statement.setMaxRows(maxRows);
            try (ResultSet rows = statement.executeQuery(sql)) {
              ResultSetMetaData meta = rows.getMetaData();
              while (rows.next() && out.size() < maxRows) {
                Map<String, @Nullable Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                  row.put(meta.getColumnLabel(i), rows.getObject(i));
                }
                out.add(row);
              }
            }
          } catch (SQLException e) {
            throw new ConvergeException(
                ConvergeException.Kind.INVALID_ARGUMENT, "query failed: " + e.getMessage(), e);
          }
          return out;
        });
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
    writer.close();
    synchronized (reader) {
      try {
        reader.close();
      } catch (SQLException e) {
        throw SqlErrors.map("closing " + file, e);
      }
    }
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
