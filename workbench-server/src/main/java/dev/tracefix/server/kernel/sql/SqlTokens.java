package dev.tracefix.server.kernel.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * DuckDB's lexical rules, as far as splitting cells and the notebook lock need them: strings
 * ({@code '...'} with {@code ''}, {@code E'...'} also with backslash escapes), quoted names, dollar
 * quotes ({@code $$...$$}, {@code $tag$...$tag$}), {@code --} and nested {@code /* *}{@code /}
 * comments. The lock relies on agreeing with DuckDB about where a statement ends: each rule was
 * checked against DuckDB 2.0 (identifiers may contain {@code $}, so {@code a$$b} is a name, not the
 * start of a dollar quote). Anything left unterminated runs to the end of the text, where DuckDB
 * rejects it too.
 */
final class SqlTokens {
  private SqlTokens() {}

  enum Kind {
    WORD,
    /** A string literal; {@link Token#value} is its content with escapes resolved. */
    STRING,
    /** A double-quoted name; {@link Token#value} is the name. */
    QUOTED_NAME,
    SEMICOLON,
    OPEN,
    CLOSE,
    OTHER
  }

  /** One token; {@code [start, end)} in the text; value is the word, literal or character. */
  record Token(Kind kind, String value, int start, int end) {
    boolean isWord(String word) {
      return kind == Kind.WORD && value.equalsIgnoreCase(word);
    }
  }

  /** The tokens of {@code sql}, comments and white space left out. */
  static List<Token> of(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int comment = commentEnd(sql, i);
      if (comment >= 0) {
        i = comment;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
        i = string(sql, i + 1, true, tokens, i);
      } else if (c == '\'') {
        i = string(sql, i, false, tokens, i);
      } else if (c == '"') {
        int end = closeDoubled(sql, i, '"');
        tokens.add(new Token(Kind.QUOTED_NAME, undouble(sql, i, end, '"'), i, end));
        i = end;
      } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
        int tagEnd = dollarTagEnd(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        int end = close < 0 ? n : close + tag.length();
        String value = sql.substring(tagEnd, close < 0 ? n : close);
        tokens.add(new Token(Kind.STRING, value, i, end));
        i = end;
      } else if (isNameStart(c)) {
        int end = i + 1;
        while (end < n
            && (isNameStart(sql.charAt(end))
                || isDigit(sql.charAt(end))
                || sql.charAt(end) == '$')) {
          end++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(i, end), i, end));
        i = end;
      } else if (isDigit(c)) {
        int end = i + 1;
        while (end < n
            && (isNameStart(sql.charAt(end))
                || isDigit(sql.charAt(end))
                || sql.charAt(end) == '.')) {
          end++;
        }
        tokens.add(new Token(Kind.OTHER, sql.substring(i, end), i, end));
        i = end;
      } else {
        Kind kind =
            switch (c) {
              case ';' -> Kind.SEMICOLON;
              case '(' -> Kind.OPEN;
              case ')' -> Kind.CLOSE;
              default -> Kind.OTHER;
            };
        tokens.add(new Token(kind, String.valueOf(c), i, i + 1));
        i++;
      }
    }
    return tokens;
  }

  /** End of the comment starting at {@code i}, or -1 if none starts there. */
  static int commentEnd(String sql, int i) {
    int n = sql.length();
    if (sql.startsWith("--", i)) {
      int nl = sql.indexOf('\n', i);
      return nl < 0 ? n : nl;
    }
    if (!sql.startsWith("/*", i)) {
      return -1;
    }
    int depth = 0;
    int j = i;
    while (j < n) {
      if (sql.startsWith("/*", j)) {
        depth++;
        j += 2;
      } else if (sql.startsWith("*/", j)) {
        depth--;
        j += 2;
        if (depth == 0) {
          return j;
        }
      } else {
        j++;
      }
    }
    return n;
  }

  private static int string(String sql, int quote, boolean escapes, List<Token> tokens, int start) {
    int end = escapes ? closeEscaped(sql, quote) : closeDoubled(sql, quote, '\'');
    String value = escapes ? unescape(sql, quote, end) : undouble(sql, quote, end, '\'');
    tokens.add(new Token(Kind.STRING, value, start, end));
    return end;
  }

  /** {@code $} or {@code $tag$} at {@code i}: the index after the closing {@code $}, else -1. */
  private static int dollarTagEnd(String sql, int i) {
    int j = i + 1;
    if (j < sql.length() && isNameStart(sql.charAt(j))) {
      while (j < sql.length() && (isNameStart(sql.charAt(j)) || isDigit(sql.charAt(j)))) {
        j++;
      }
    }
    return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  private static int closeDoubled(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static int closeEscaped(String sql, int start) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '\'' && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
        i += 2;
      } else if (c == '\'') {
        return i + 1;
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static String undouble(String sql, int start, int end, char quote) {
    int close = end > start + 1 && sql.charAt(end - 1) == quote ? end - 1 : end;
    String q = String.valueOf(quote);
    return sql.substring(start + 1, Math.max(start + 1, close)).replace(q + q, q);
  }

  private static String unescape(String sql, int start, int end) {
    StringBuilder out = new StringBuilder();
    int close = end > start + 1 && sql.charAt(end - 1) == '\'' ? end - 1 : end;
    for (int i = start + 1; i < close; i++) {
      char c = sql.charAt(i);
      if ((c == '\\' || c == '\'') && i + 1 < close) {
        i++;
        c = sql.charAt(i);
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isNameStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
