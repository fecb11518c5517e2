package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.converge.core.Change;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.ViewStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The documents of a repository, a page at a time, most recently changed first, optionally those
 * whose strings match a full-text search: {@code {"total","offset","documents":[{"id","changes",
 * "bytes","lastOffset","lastTime"}]}}. {@code bytes} is the size of the document's change log (the
 * sum of its change chunks); {@code lastTime} the time of its latest change in seconds.
 *
 * <p>On the SQLite store, one read-only query answers a page: it reads the store's own tables
 * ({@code docs}, {@code log} by its {@code (doc, log_offset)} index, and the FTS index {@code
 * documents_fts}), so a page of 10,000 documents costs an index probe per document for the order
 * and a log scan for the page's documents only. A store without SQL lists the documents in ID order
 * and loads the page's documents; it has no search.
 */
final class DocumentList {
  /** The most documents one page may ask for. */
  static final int PAGE_MAX = 500;

  /** The page's rows, most recently changed first; {@code where} filters {@code docs d}. */
  private static String pageSql(String where, int limit, int offset) {
    return "SELECT p.id AS id, p.changes AS changes, p.last_offset AS last_offset,"
        + " (SELECT coalesce(sum(length(l.bytes)), 0) FROM log l WHERE l.doc = p.id) AS bytes"
        + " FROM (SELECT d.id AS id, d.change_count AS changes,"
        + " (SELECT max(l.log_offset) FROM log l WHERE l.doc = d.id) AS last_offset"
        + " FROM docs d "
        + where
        + " ORDER BY last_offset DESC NULLS LAST, d.id LIMIT "
        + limit
        + " OFFSET "
        + offset
        + ") p ORDER BY p.last_offset DESC NULLS LAST, p.id";
  }

  private static String totalSql(String where) {
    return "SELECT count(*) AS total FROM docs d " + where;
  }

  private static String searchWhere(String search) {
    return "WHERE d.id IN (SELECT doc FROM documents_fts WHERE documents_fts MATCH "
        + sqlString(ftsPhrases(search))
        + ")";
  }

  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

  private final Repo repo;

  DocumentList(Repo repo) {
    this.repo = repo;
  }

  String page(QueryParams params) {
    int offset = params.integer("offset", 0, Integer.MAX_VALUE);
    int limit = params.integer("limit", 50, PAGE_MAX);
    Optional<String> search = params.text("q").map(String::strip).filter(q -> !q.isEmpty());
    Optional<ViewStore> views = repo.views();
    if (views.isPresent()) {
      return sqlPage(views.get(), search.orElse(null), offset, limit);
    }
    if (search.isPresent()) {
      throw new BadRequestException(
          "q", "no search: this store has no full-text index", search.get());
    }
    return loadedPage(offset, limit);
  }

  private String sqlPage(ViewStore views, @Nullable String search, int offset, int limit) {
    String where = search == null ? "" : searchWhere(search);
    long total = number(views.query(totalSql(where), 1).get(0), "total");
    List<Map<String, @Nullable Object>> rows =
        views.query(pageSql(where, limit, offset), Math.max(1, limit));
    return Json.write(
        out -> {
          out.writeStartObject();
          out.writeNumberField("total", total);
          out.writeNumberField("offset", offset);
          out.writeArrayFieldStart("documents");
          for (Map<String, @Nullable Object> row : rows) {
            document(
                out,
                String.valueOf(row.get("id")),
                number(row, "changes"),
                number(row, "bytes"),
                number(row, "last_offset"));
          }
          out.writeEndArray();
          out.writeEndObject();
        });
  }

  /** A column of the store's own tables: an integer, or NULL (read as 0). */
  private static long number(Map<String, @Nullable Object> row, String column) {
    Object value = row.get(column);
    return value == null ? 0 : ((Number) value).longValue();
  }

  private String loadedPage(int offset, int limit) {
    List<DocumentId> ids = repo.list();
    List<DocumentId> page =
        ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + limit));
    return Json.write(
        out -> {
          out.writeStartObject();
          out.writeNumberField("total", ids.size());
          out.writeNumberField("offset", offset);
          out.writeArrayFieldStart("documents");
          for (DocumentId id : page) {
            Optional<DocHandle> handle = repo.find(id);
            if (handle.isEmpty()) {
              continue;
            }
            List<Change> changes = handle.get().changes();
            long bytes = changes.stream().mapToLong(Change::byteLength).sum();
            out.writeStartObject();
            out.writeStringField("id", id.toString());
            out.writeNumberField("changes", changes.size());
            out.writeNumberField("bytes", bytes);
            out.writeNumberField("lastOffset", 0);
            if (!changes.isEmpty()) {
              out.writeNumberField("lastTime", changes.get(changes.size() - 1).time());
            }
            out.writeEndObject();
          }
          out.writeEndArray();
          out.writeEndObject();
        });
  }

  private void document(JsonGenerator out, String id, long changes, long bytes, long lastOffset)
      throws IOException {
    out.writeStartObject();
    out.writeStringField("id", id);
    out.writeNumberField("changes", changes);
    out.writeNumberField("bytes", bytes);
    out.writeNumberField("lastOffset", lastOffset);
    if (lastOffset > 0) {
      List<LogRecord> records = repo.changes().read(lastOffset - 1, 1);
      if (!records.isEmpty() && records.get(0).offset() == lastOffset) {
        out.writeNumberField("lastTime", Change.fromBytes(records.get(0).bytes()).time());
      }
    }
    out.writeEndObject();
  }

  /**
   * The words of a search as FTS5 phrases (each double-quoted, quotes doubled), all required: a
   * search is words to find, never FTS5 syntax, so no input is a syntax error.
   */
  static String ftsPhrases(String search) {
    StringBuilder out = new StringBuilder();
    for (String word : WHITESPACE.split(search.strip(), -1)) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append('"').append(word.replace("\"", "\"\"")).append('"');
    }
    return out.toString();
  }

  /** An SQL string literal: single-quoted, quotes doubled. */
  static String sqlString(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
