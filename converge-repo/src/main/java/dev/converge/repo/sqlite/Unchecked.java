package dev.converge.repo.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs SQL where no checked exception may pass, mapping failures as {@link SqlErrors} does. */
final class Unchecked {
  interface SqlSupplier<T> {
    T get() throws SQLException;
  }

  interface SqlSupplierOf<T> {
    T apply(Connection connection) throws SQLException;
  }

  private Unchecked() {}

  static <T> T sql(SqlSupplier<T> work) {
    try {
      return work.get();
    } catch (SQLException e) {
      throw SqlErrors.map("reading the store", e);
    }
  }
}
