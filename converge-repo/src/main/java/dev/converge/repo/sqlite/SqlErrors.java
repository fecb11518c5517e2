package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.MalformedStoreException;
import dev.converge.repo.spi.StorageException;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Turns SQLite's errors into Converge's typed exceptions, keeping the cause. */
final class SqlErrors {
  // SQLite primary result codes (sqlite3.h).
  private static final int SQLITE_ERROR = 1;
  private static final int SQLITE_PERM = 3;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  private SqlErrors() {}

  static ConvergeException map(String what, SQLException e) {
    int code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code & 0xff : -1;
    String message = what + ": " + e.getMessage();
    switch (code) {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return new MalformedStoreException(message, e);
      case SQLITE_ERROR:
        // The full-text index reports damage to its own tables as a plain error, asking for a
        // rebuild ("invalid fts5 file format ... - run 'rebuild'"); found by fault injection.
        String text = String.valueOf(e.getMessage());
        if (text.contains("fts5") && text.contains("rebuild")) {
          return new MalformedStoreException(message, e);
        }
        return new StorageException(ConvergeException.Kind.UNSUPPORTED, message, e);
      case SQLITE_FULL:
        return new StorageException(ConvergeException.Kind.LIMIT_EXCEEDED, message, e);
      case SQLITE_PERM:
      case SQLITE_READONLY:
      case SQLITE_CANTOPEN:
        return new StorageException(ConvergeException.Kind.INVALID_ARGUMENT, message, e);
      case SQLITE_IOERR:
      default:
        return new StorageException(ConvergeException.Kind.UNSUPPORTED, message, e);
    }
  }
}
