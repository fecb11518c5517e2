package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.LostChangesException;
import dev.converge.repo.spi.MalformedStoreException;
import dev.converge.repo.spi.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * Opening a {@link SqliteStorage}: the directory and its lock, the two connections, the schema
 * check, the checks after an unclean shutdown and against the {@link AckedOffsetWitness}, and the
 * size limit. On any failure everything opened so far is closed again and the lock released.
 */
final class StoreOpening {
  /** Records the views apply in one transaction at most. */
  private static final int VIEW_STEP_MAX = 4096;

  private StoreOpening() {}

  /** What an open store is made of; {@link SqliteStorage} owns it from then on. */
  record Opened(
      Path file,
      Connection reader,
      Connection writer,
      LogState state,
      AckedOffsetWitness witness,
      DirectoryLock lock) {}

  /** Opens the store in {@code directory} as {@link SqliteStorage#open} documents. */
  static Opened open(Path directory, IfMissing ifMissing, SqliteStorage.Options options) {
    Path file = directory.resolve(SqliteStorage.FILE_NAME);
    if (ifMissing == IfMissing.REFUSE && !Files.isRegularFile(file)) {
      throw new StorageException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "no Converge repository in " + directory + " (expected " + SqliteStorage.FILE_NAME + ")");
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
    DirectoryLock lock = DirectoryLock.acquire(directory);
    Connection writeConnection = null;
    Connection readConnection = null;
    Connection viewsConnection = null;
    try {
      writeConnection = connect(file, false);
      AckedOffsetWitness witness = checkAndMarkOpen(writeConnection, directory, options);
      viewsConnection = connect(file, true);
      ViewMaintainer views =
          new ViewMaintainer(
              writeConnection,
              viewsConnection,
              options.cacheSize(),
              options.snapshotEvery(),
              VIEW_STEP_MAX,
              options.viewLagMax() + VIEW_STEP_MAX);
      LogState state = new LogState(writeConnection, views, options.cacheSize());
      readConnection = connect(file, true);
      return new Opened(file, readConnection, writeConnection, state, witness, lock);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(readConnection, e);
      closeQuietly(viewsConnection, e);
      closeQuietly(writeConnection, e);
      try {
        lock.close();
      } catch (StorageException unlock) {
        e.addSuppressed(unlock);
      }
      if (e instanceof SQLException sql) {
        throw SqlErrors.map("cannot open " + file, sql);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Checks the schema, a store left open by a process that died, and the log's end against the
   * witness, finishes a purge a crash interrupted, then records the store as open and sets its size
   * limit, in one commit.
   */
  private static AckedOffsetWitness checkAndMarkOpen(
      Connection connection, Path directory, SqliteStorage.Options options) throws SQLException {
    boolean unclean = Schema.createOrCheck(connection);
    boolean refuseLost = options.lostChanges() == LostChanges.REFUSE;
    if (unclean) {
      quickCheck(connection);
      if (refuseLost) {
        checkChangeCounts(connection);
      }
    }
    Purge.wipeIfUnfinished(connection);
    AckedOffsetWitness witness = new AckedOffsetWitness(directory);
    if (refuseLost) {
      checkNotRolledBack(witness, LogSql.highWaterOffset(connection));
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("UPDATE meta SET value = 1 WHERE key = 'open'");
      if (options.storeBytesMax() > 0) {
        limitSize(statement, options.storeBytesMax());
      }
    }
    connection.commit();
    return witness;
  }

  private static void limitSize(Statement statement, long storeBytesMax) throws SQLException {
    long pageSize;
    try (ResultSet rows = statement.executeQuery("PRAGMA page_size")) {
      rows.next();
      pageSize = rows.getLong(1);
    }
    long pages = Math.max(1, storeBytesMax / pageSize);
    // SQLite never sets the limit below the current size: a store already larger stays readable
    // and refuses writes that need another page.
    statement.execute("PRAGMA max_page_count = " + pages);
  }

  /**
   * After an unclean shutdown: every append updates its document's change count in the same
   * transaction as the log rows, so a log with fewer rows than the counts add up to lost some.
   */
  private static void checkChangeCounts(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT (SELECT coalesce(sum(change_count), 0) FROM docs),"
                    + " (SELECT count(*) FROM log)")) {
      rows.next();
      long recorded = rows.getLong(1);
      long found = rows.getLong(2);
      if (recorded != found) {
        throw new LostChangesException(
            "the log holds " + found + " changes but its documents recorded " + recorded,
            Optional.empty(),
            List.of());
      }
    }
  }

  /**
   * The database must have reached the offset the witness recorded: a log that ends before it went
   * backwards (see {@link AckedOffsetWitness}).
   */
  private static void checkNotRolledBack(AckedOffsetWitness witness, long highWaterOffset) {
    OptionalLong acknowledged = witness.read();
    if (acknowledged.isPresent() && highWaterOffset < acknowledged.getAsLong()) {
      throw new LostChangesException(
          "the store went backwards: its log ends at offset "
              + highWaterOffset
              + " but offset "
              + acknowledged.getAsLong()
              + " was acknowledged (a truncated WAL or an older copy of the file); open it with"
              + " LostChanges.OPEN_FOR_REPAIR and sync with a peer to get the lost changes back",
          Optional.empty(),
          List.of());
    }
  }

  private static Connection connect(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    Connection connection = config.createConnection("jdbc:sqlite:" + file);
    try (Statement statement = connection.createStatement()) {
      if (readOnly) {
        statement.execute("PRAGMA query_only = 1");
      } else {
        // Freed cells and pages are overwritten with zeros, so a deleted or replaced row leaves
        // nothing readable behind in free space (the premise of a purge, see Purge).
        statement.execute("PRAGMA secure_delete = ON");
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
        throw new MalformedStoreException("SQLite quick_check failed: " + result);
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
}
