package dev.tracefix.server.kernel.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a cell's SQL into statements at top-level semicolons, skipping those inside quotes,
 * comments and dollar-quoted strings.
 */
public final class SqlStatements {
  private SqlStatements() {}

  /** Statements in order, without their terminating semicolons; comment-only pieces dropped. */
  public static List<String> split(String sql) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int end = i + 1;
      if (c == '\'' || c == '"') {
        end = closeQuote(sql, i, c);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        end = nl < 0 ? n : nl;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        end = close < 0 ? n : close + 2;
      } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
        int close = sql.indexOf("$$", i + 2);
        end = close < 0 ? n : close + 2;
      } else if (c == ';') {
        add(statements, current.toString());
        current.setLength(0);
        i++;
        continue;
      }
      current.append(sql, i, end);
      i = end;
    }
    add(statements, current.toString());
    return statements;
  }

  private static int closeQuote(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote is an escaped quote
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static void add(List<String> statements, String statement) {
    if (!withoutComments(statement).isBlank()) {
      statements.add(statement.strip());
    }
  }

  /** The statement with comments removed (quotes kept), for keyword checks. */
  public static String withoutComments(String sql) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = closeQuote(sql, i, c);
        sb.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
        sb.append(' ');
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  /**
   * Whether the statement is a query whose result can be materialized with {@code CREATE TABLE x
   * AS (...)}.
   */
  public static boolean isQuery(String statement) {
    String s = withoutComments(statement).strip();
    if (s.startsWith("(")) {
      return true;
    }
    int end = 0;
    while (end < s.length() && Character.isLetter(s.charAt(end))) {
      end++;
    }
    String keyword = s.substring(0, end).toUpperCase(Locale.ROOT);
    return switch (keyword) {
      case "SELECT", "WITH", "FROM", "VALUES", "TABLE", "PIVOT", "UNPIVOT" -> true;
      default -> false;
    };
  }
}
