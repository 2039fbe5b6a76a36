package dev.tracefix.server.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a notebook's parameter values into SQL: {@code $name} outside string literals, quoted
 * identifiers and comments becomes the value as a SQL literal (a number as it is, anything else
 * single-quoted, so {@code '30s'::INTERVAL} and {@code errno_name = $errno} both work and a value
 * can never close the quote). DuckDB's own {@code $1} and {@code $$…$$} are left alone.
 */
final class NotebookParameters {
  private static final Pattern REFERENCE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?");

  private NotebookParameters() {}

  /** Thrown for a {@code $name} that has no value; the message says how to give one. */
  static final class Missing extends RuntimeException {
    Missing(String message) {
      super(message);
    }
  }

  /** Declared defaults with {@code overrides} on top; an override must name a declared one. */
  static Map<String, String> effective(Map<String, String> declared, Map<String, String> overrides) {
    Set<String> unknown = new TreeSet<>(overrides.keySet());
    unknown.removeAll(declared.keySet());
    if (!unknown.isEmpty()) {
      throw new WorkspaceException(
          WorkspaceException.Kind.MALFORMED,
          "the notebook declares no parameter " + String.join(", ", unknown)
              + (declared.isEmpty()
                  ? "; declare parameters in its front matter (---\\nparameters:\\n  name: default\\n---)"
                  : "; it declares: " + String.join(", ", declared.keySet())));
    }
    Map<String, String> out = new LinkedHashMap<>(declared);
    out.putAll(overrides);
    return out;
  }

  /** {@code sql} with every parameter reference replaced by its value's literal. */
  static String apply(String sql, Map<String, String> values) {
    String code = codeMask(sql);
    StringBuilder out = new StringBuilder(sql.length());
    Matcher m = REFERENCE.matcher(code);
    int at = 0;
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        throw new Missing(
            "$" + name + " is not a parameter of this notebook: declare it in the front matter"
                + " (parameters: " + name + ": DEFAULT) or give it with -p " + name + "=VALUE");
      }
      out.append(sql, at, m.start()).append(literal(value));
      at = m.end();
    }
    return out.append(sql, at, sql.length()).toString();
  }

  /** Whether {@code sql} refers to any of {@code names}. */
  static boolean refersTo(String sql, Set<String> names) {
    Matcher m = REFERENCE.matcher(codeMask(sql));
    while (m.find()) {
      if (names.contains(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code sql} with string literals, quoted identifiers, comments and dollar-quoted strings
   * blanked out (same length, so positions match the original).
   */
  static String codeMask(String sql) {
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

  private static String literal(String value) {
    return NUMBER.matcher(value).matches() ? value : "'" + value.replace("'", "''") + "'";
  }
}
