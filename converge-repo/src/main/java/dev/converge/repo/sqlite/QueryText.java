package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the text of a user's query before SQLite sees it: exactly one statement, and one that
 * reads ({@code SELECT}, {@code WITH} or {@code VALUES}). SQLite's JDBC driver compiles the first
 * statement of a text and silently drops the rest, so the split is found here, with SQLite's
 * lexical rules for what can hide a semicolon: string literals ({@code '...'}, quotes doubled),
 * quoted identifiers ({@code "..."}, {@code [...]}, {@code `...`}) and comments ({@code --} to the
 * end of the line, {@code /* ... *}{@code /}, which an unterminated one runs to the end).
 *
 * <p>This is the first of three locks: the query also runs on a connection opened read-only that
 * may attach no database (see {@link SqliteStorage#query}).
 */
final class QueryText {
  private static final Set<String> READ_KEYWORDS = Set.of("select", "with", "values");
  private static final int SHOWN_CHARS_MAX = 60;

  private QueryText() {}

  /**
   * {@code sql} without what follows its only statement (spaces, comments and semicolons).
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if {@code sql} holds no statement, more than
   *     one, or one that does not start with SELECT, WITH or VALUES
   */
  static String requireOneRead(String sql) {
    int first = -1;
    int end = sql.length();
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int skipped = skipQuietPart(sql, i);
      if (skipped > i) {
        i = skipped;
        continue;
      }
      if (c == ';') {
        if (first >= 0 && end == sql.length()) {
          end = i;
        }
        i++;
        continue;
      }
      if (end < sql.length()) {
        throw invalid(
            "query runs exactly one statement; found more after ';': " + shown(sql.substring(i)));
      }
      if (first < 0) {
        first = i;
      }
      i = skipToken(sql, i);
    }
    if (first < 0) {
      throw invalid("no SQL statement given");
    }
    String keyword = firstWord(sql, first);
    if (!READ_KEYWORDS.contains(keyword.toLowerCase(Locale.ROOT))) {
      throw invalid(
          "query only reads: the statement must start with SELECT, WITH or VALUES, found "
              + shown(keyword.isEmpty() ? sql.substring(first) : keyword));
    }
    return sql.substring(0, end);
  }

  /** The index after whitespace or a comment starting at {@code i}, or {@code i} if none. */
  private static int skipQuietPart(String sql, int i) {
    char c = sql.charAt(i);
    if (Character.isWhitespace(c)) {
      return i + 1;
    }
    if (sql.startsWith("--", i)) {
      int newline = sql.indexOf('\n', i);
      return newline < 0 ? sql.length() : newline + 1;
    }
    if (sql.startsWith("/*", i)) {
      int close = sql.indexOf("*/", i + 2);
      return close < 0 ? sql.length() : close + 2;
    }
    return i;
  }

  /** The index after the token starting at {@code i}: a quoted part whole, else one character. */
  private static int skipToken(String sql, int i) {
    char c = sql.charAt(i);
    char close =
        switch (c) {
          case '\'' -> '\'';
          case '"' -> '"';
          case '`' -> '`';
          case '[' -> ']';
          default -> 0;
        };
    if (close == 0) {
      return i + 1;
    }
    int at = i + 1;
    while (at < sql.length()) {
      if (sql.charAt(at) == close) {
        // A doubled quote is an escaped quote; brackets have no escape.
        if (close != ']' && at + 1 < sql.length() && sql.charAt(at + 1) == close) {
          at += 2;
          continue;
        }
        return at + 1;
      }
      at++;
    }
    return sql.length();
  }

  private static String firstWord(String sql, int start) {
    int end = start;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return sql.substring(start, end);
  }

  private static String shown(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return "'"
        + (line.length() <= SHOWN_CHARS_MAX ? line : line.substring(0, SHOWN_CHARS_MAX) + "...")
        + "'";
  }

  private static ConvergeException invalid(String message) {
    return new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, message);
  }
}
