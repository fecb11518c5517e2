package dev.converge.repo.spi;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The derived SQL views of a store, kept in the store's own database and maintained from the log in
 * the same transaction as the offset they have reached: the built-in {@code documents} table, one
 * row per document with at least one change ({@code id}, {@code heads} as a JSON array of hex
 * hashes, {@code value} as JSON, {@code log_offset} of its latest change), the full-text table
 * {@code documents_fts} ({@code doc}, {@code path}, {@code body}, one row per string in a document)
 * and user-defined views, each a table {@code view_NAME} with a {@code doc_id} column and the
 * declared columns. Rebuilding from the log gives identical rows.
 *
 * <p>The views trail the log; {@link #query} first brings them up to every acknowledged change.
 */
public interface ViewStore {

  /** Declares (or redeclares) a view and fills it from the current documents. */
  void defineView(ViewDefinition definition);

  /** Drops a view; returns whether it existed. */
  boolean dropView(String name);

  List<ViewDefinition> viewDefinitions();

  /** Recomputes every view from the log alone, in one transaction. */
  default void rebuildViews() {
    rebuildViews((done, total) -> {});
  }

  /**
   * Recomputes every view from the log alone, in one transaction, telling {@code progress} how far
   * it got (from the store's writer thread).
   */
  void rebuildViews(Progress progress);

  /** Told how many log entries of {@code total} a long operation has handled. */
  @FunctionalInterface
  interface Progress {
    void update(long done, long total);
  }

  /**
   * Runs one read-only SQL statement and returns its rows, each column name mapped to a Long,
   * Double, String, byte[] or null, at most {@code rowsMax} of them.
   *
   * @throws dev.converge.core.ConvergeException of kind INVALID_ARGUMENT if the statement is not
   *     valid SQL or tries to write
   */
  List<Map<String, @Nullable Object>> query(String sql, int rowsMax);
}
