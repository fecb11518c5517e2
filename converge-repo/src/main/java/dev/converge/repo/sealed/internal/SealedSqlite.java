package dev.converge.repo.sealed.internal;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection of a sealed-document store (a device's {@code sealed.sqlite}, a relay's
 * {@code sealed-relay.sqlite}): WAL mode with {@code synchronous=FULL}, so a committed transaction
 * is on disk; tables created when missing; a {@code meta} table whose {@code schema_version} must
 * be the one this version writes.
 *
 * <p>Not thread-safe: its stores synchronize their methods.
 */
public final class SealedSqlite implements AutoCloseable {
  /** Work on the connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Connection connection;
  private final String name;

  private SealedSqlite(Connection connection, String name) {
    this.connection = connection;
    this.name = name;
  }

  /**
   * Opens {@code url}, creating each of {@code tables} ({@code name(columns)}) that is missing.
   *
   * @param name what error messages call the file
   * @throws StorageException if SQLite cannot open it, or it has another schema version
   */
  public static SealedSqlite open(String url, String name, List<String> tables, long version) {
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout(10_000);
      Connection connection = config.createConnection(url);
      try {
        create(connection, name, tables, version);
        connection.setAutoCommit(false);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return new SealedSqlite(connection, name);
    } catch (SQLException e) {
      throw failure("cannot open " + url, e);
    }
  }

  private static void create(Connection connection, String name, List<String> tables, long version)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      for (String table : tables) {
        statement.execute("CREATE TABLE IF NOT EXISTS " + table);
      }
      statement.execute(
          "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', " + version + ")");
      try (ResultSet rows =
          statement.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
        long found = rows.next() ? rows.getLong(1) : -1;
        if (found != version) {
          throw new StorageException(
              ConvergeException.Kind.UNSUPPORTED,
              name + " has schema version " + found + ", this version knows " + version);
        }
      }
    }
  }

  /**
   * Runs {@code work} as one transaction, committed when it returns and rolled back if it throws.
   *
   * @throws StorageException if SQLite fails, saying {@code what} could not be done
   */
  public <T> T transaction(String what, Work<T> work) {
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw failure(what, e);
    }
  }

  private static StorageException failure(String what, SQLException e) {
    return new StorageException(
        ConvergeException.Kind.UNSUPPORTED, what + ": " + e.getMessage(), e);
  }

  /**
   * @throws StorageException if SQLite cannot close the file
   */
  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure("cannot close " + name, e);
    }
  }
}
