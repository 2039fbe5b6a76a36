package dev.tracefix.server.kernel.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a cell's SQL into statements at top-level semicolons, skipping those inside quotes,
 * comments and dollar-quoted strings (by {@link SqlTokens}, which follows DuckDB's rules).
 */
public final class SqlStatements {
  private SqlStatements() {}

  /** Statements in order, without their terminating semicolons; comment-only pieces dropped. */
  public static List<String> split(String sql) {
    List<String> statements = new ArrayList<>();
    int from = 0;
    boolean hasToken = false;
    for (SqlTokens.Token token : SqlTokens.of(sql)) {
      if (token.kind() == SqlTokens.Kind.SEMICOLON) {
        if (hasToken) {
          statements.add(sql.substring(from, token.start()).strip());
        }
        from = token.end();
        hasToken = false;
      } else {
        hasToken = true;
      }
    }
    if (hasToken) {
      statements.add(sql.substring(from).strip());
    }
    return statements;
  }

  /** The statement with comments removed (quotes kept), for keyword checks. */
  public static String withoutComments(String sql) {
    StringBuilder sb = new StringBuilder();
    int at = 0;
    for (SqlTokens.Token token : SqlTokens.of(sql)) {
      appendGap(sb, sql, at, token.start());
      sb.append(sql, token.start(), token.end());
      at = token.end();
    }
    appendGap(sb, sql, at, sql.length());
    return sb.toString();
  }

  /** White space between tokens as it is, each comment in it as one space. */
  private static void appendGap(StringBuilder sb, String sql, int from, int to) {
    int i = from;
    while (i < to) {
      int comment = SqlTokens.commentEnd(sql, i);
      if (comment >= 0) {
        sb.append(' ');
        i = Math.min(comment, to);
      } else {
        sb.append(sql.charAt(i));
        i++;
      }
    }
  }

  /**
   * Whether the statement is a query whose result can be materialized with {@code CREATE TABLE x AS
   * (...)}.
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
