package dev.tracefix.server.parameters;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts parameter values into SQL, for notebooks (declared in the front matter) and saved queries
 * (declared in the {@code -- parameters:} header): {@code $name} outside string literals, quoted
 * identifiers and comments becomes the value as a SQL literal (a number as it is, anything else
 * single-quoted with its quotes doubled, so {@code '30s'::INTERVAL} and {@code errno_name = $errno}
 * both work and a value can never close the quote). DuckDB's own {@code $1} and {@code $$…$$} are
 * left alone. Sits below both users and imports neither.
 */
public final class SqlParameters {
  private static final Pattern REFERENCE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?");

  private SqlParameters() {}

  /** Thrown for a {@code $name} that has no value; the caller says how to give one. */
  public static final class Missing extends RuntimeException {
    private final String name;

    Missing(String name) {
      super("$" + name + " has no value");
      this.name = name;
    }

    /** The parameter, without its {@code $}. */
    public String name() {
      return name;
    }
  }

  /** {@code sql} with every parameter reference replaced by its value's literal. */
  public static String apply(String sql, Map<String, String> values) {
    String code = codeMask(sql);
    StringBuilder out = new StringBuilder(sql.length());
    Matcher m = REFERENCE.matcher(code);
    int at = 0;
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        throw new Missing(name);
      }
      out.append(sql, at, m.start()).append(literal(value));
      at = m.end();
    }
    return out.append(sql, at, sql.length()).toString();
  }

  /** Whether {@code sql} refers to any of {@code names}. */
  public static boolean refersTo(String sql, Set<String> names) {
    return references(sql).stream().anyMatch(names::contains);
  }

  /** The names {@code sql} refers to as {@code $name}, in order of first use. */
  public static List<String> references(String sql) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(codeMask(sql));
    while (m.find()) {
      names.add(m.group(1));
    }
    return List.copyOf(names);
  }

  /**
   * {@code sql} with string literals, quoted identifiers, comments and dollar-quoted strings
   * blanked out (same length, so positions match the original).
   */
  public static String codeMask(String sql) {
    char[] out = sql.toCharArray();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      if (c == '\'' || c == '"') {
        end = i + 1;
        while (end < n && !(sql.charAt(end) == c && (end + 1 >= n || sql.charAt(end + 1) != c))) {
          end += sql.charAt(end) == c ? 2 : 1; // a doubled quote is an escaped quote
        }
        end = Math.min(end + 1, n);
      } else if (sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        end = nl < 0 ? n : nl;
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        end = close < 0 ? n : close + 2;
      } else if (sql.startsWith("$$", i)) {
        int close = sql.indexOf("$$", i + 2);
        end = close < 0 ? n : close + 2;
      } else {
        i++;
        continue;
      }
      java.util.Arrays.fill(out, i, end, ' ');
      i = end;
    }
    return new String(out);
  }

  /** {@code value} as a SQL literal: a number as it is, anything else single-quoted. */
  public static String literal(String value) {
    return NUMBER.matcher(value).matches() ? value : "'" + value.replace("'", "''") + "'";
  }
}
