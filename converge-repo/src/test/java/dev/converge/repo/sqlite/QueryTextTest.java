package dev.converge.repo.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ConvergeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, item 7: {@link QueryText} lets through exactly one statement that reads, and finds the
 * end of it where SQLite would, past semicolons inside literals, quoted names and comments.
 */
class QueryTextTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "select 1|select 1",
        "select 1;|select 1",
        "select 1; ; -- done|select 1",
        "  WITH x AS (select 1) select * from x /* tail; */|"
            + "  WITH x AS (select 1) select * from x /* tail; */",
        "values (1), (2);  |values (1), (2)",
        "select ';' as \"a;b\", [c;d], `e;f` from t -- ; x|"
            + "select ';' as \"a;b\", [c;d], `e;f` from t -- ; x",
        "select 'it''s; fine'; /* c */|select 'it''s; fine'",
        "/* lead */ select 2|/* lead */ select 2"
      })
  void requireOneRead_oneReadingStatement_returnsIt(String sql, String statement) {
    assertEquals(statement, QueryText.requireOneRead(sql));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "-- only a comment",
        ";",
        "select 1; delete from docs",
        "select 1;select 2",
        "select ';'; drop table log",
        "delete from docs",
        "attach database '/tmp/x.db' as x",
        "pragma query_only = 0",
        "insert into docs values (1)",
        "create temp table t(a)",
        "vacuum",
        "(select 1)"
      })
  void requireOneRead_anythingElse_isRefused(String sql) {
    ConvergeException thrown =
        assertThrows(ConvergeException.class, () -> QueryText.requireOneRead(sql));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, thrown.kind());
    assertEquals(1, String.valueOf(thrown.getMessage()).lines().count(), thrown.getMessage());
  }
}
