package dev.converge.repo.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ConvergeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 7: {@link SqliteStorage#query} cannot write. Before, {@code attach database}
 * created a file, {@code select 1; delete from docs} ran the first statement and dropped the rest
 * silently, and an empty query failed with an internal message. Each refusal here leaves the log's
 * end offset and the document list as they were, and creates no file.
 */
class ReadOnlyQueryTest {
  @TempDir Path dir;

  @Test
  void query_attach_isRefusedAndCreatesNoFile() {
    Path attached = dir.resolve("x.db");
    try (SqliteStorage storage = open()) {
      assertThrows(
          ConvergeException.class,
          () -> storage.query("attach database '" + attached + "' as x", 10));
      assertThrows(
          ConvergeException.class,
          () -> storage.query("select * from pragma_database_list; attach '" + attached + "'", 10));
    }
    assertFalse(Files.exists(attached));
  }

  @Test
  void query_secondStatementOrWrite_isRefusedAndChangesNothing() {
    try (SqliteStorage storage = open()) {
      storage.createDocument("doc1").join();
      long end = storage.endOffset();
      for (String sql :
          List.of(
              "select 1; delete from docs",
              "delete from docs",
              "with x as (select 1) delete from docs",
              "",
              "select load_extension('libc.so.6')")) {
        ConvergeException thrown =
            assertThrows(ConvergeException.class, () -> storage.query(sql, 10), sql);
        assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, thrown.kind());
      }
      assertEquals(List.of("doc1"), storage.documentIds());
      assertEquals(end, storage.endOffset());
    }
  }

  @Test
  void query_read_returnsRows() {
    try (SqliteStorage storage = open()) {
      storage.createDocument("doc1").join();
      List<Map<String, Object>> rows =
          storage.query("select id from docs; -- every document", 10).stream()
              .map(row -> Map.<String, Object>copyOf(row))
              .toList();
      assertEquals(List.of(Map.of("id", "doc1")), rows);
      assertTrue(storage.query("select 1 as one", 10).size() == 1);
    }
  }

  private SqliteStorage open() {
    return SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT);
  }
}
