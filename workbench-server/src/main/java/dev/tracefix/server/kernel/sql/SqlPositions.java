package dev.tracefix.server.kernel.sql;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB names a failing position as {@code LINE n: <the line>} over a caret line. When the kernel
 * runs a cell's query inside a statement of its own, the numbers count the kernel's lines too; this
 * moves them back so the editor marks the line of the cell the person wrote.
 */
final class SqlPositions {
  private static final Pattern LINE = Pattern.compile("LINE (\\d+): ");

  private SqlPositions() {}

  /**
   * {@code e} with every {@code LINE n:} lowered by {@code lines} (the caret line kept aligned). A
   * position past the end of {@code query} (the query stopped short, e.g. a dangling WHERE, and
   * DuckDB noticed on the kernel's next line) becomes the end of the query's last line.
   */
  static SQLException shifted(SQLException e, int lines, String query) {
    String message = e.getMessage();
    if (message == null || !LINE.matcher(message).find()) {
      return e;
    }
    StringBuilder out = new StringBuilder();
    String[] parts = message.split("\n", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      Matcher m = LINE.matcher(part);
      if (m.lookingAt()) {
        int n = Integer.parseInt(m.group(1));
        String[] queryLines = query.split("\n", -1);
        if (n - lines > queryLines.length) {
          String last = queryLines[queryLines.length - 1].stripTrailing();
          String prefix = "LINE " + queryLines.length + ": ";
          parts[i] = prefix + last;
          if (i + 1 < parts.length && parts[i + 1].trim().startsWith("^")) {
            parts[i + 1] = " ".repeat(prefix.length() + last.length()) + "^";
          }
          out.append(parts[i]);
          if (i + 1 < parts.length) {
            out.append('\n');
          }
          continue;
        }
        String renumbered = "LINE " + Math.max(1, n - lines) + ": ";
        int widthChange = m.group().length() - renumbered.length();
        part = renumbered + part.substring(m.end());
        // The caret line under it is indented to the old prefix: keep it under the same character.
        if (widthChange != 0 && i + 1 < parts.length && parts[i + 1].trim().startsWith("^")) {
          String caret = parts[i + 1];
          parts[i + 1] =
              widthChange > 0
                  ? caret.substring(Math.min(widthChange, caret.indexOf('^')))
                  : " ".repeat(-widthChange) + caret;
        }
      }
      out.append(part);
      if (i + 1 < parts.length) {
        out.append('\n');
      }
    }
    SQLException relined = new SQLException(out.toString(), e.getSQLState(), e.getErrorCode());
    relined.setStackTrace(e.getStackTrace());
    return relined;
  }
}
