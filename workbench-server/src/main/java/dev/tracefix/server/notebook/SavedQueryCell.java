package dev.tracefix.server.notebook;

import java.util.Map;

/**
 * A saved query put into a notebook as a SQL cell: the cell is appended under a name made from the
 * query's, and the query's parameters join the notebook's front matter with their defaults (ones
 * the notebook already declares keep their values), so {@code $name} in the cell works at once and
 * is set like any other notebook parameter.
 */
public final class SavedQueryCell {
  private SavedQueryCell() {}

  /**
   * {@code notebook} with the query appended.
   *
   * @param queryName e.g. {@code error-bursts}; the cell is named {@code error_bursts} (or {@code
   *     error_bursts_2}, … when taken)
   * @param parameters the query's parameters and defaults (null: none; declared as empty)
   */
  public static Notebook append(
      Notebook notebook,
      String queryName,
      String title,
      String sql,
      Map<String, String> parameters) {
    String text = withParameters(notebook.text(), notebook.parameters().keySet(), parameters);
    String cellName = freeName(notebook, queryName.replaceAll("[^A-Za-z0-9_]", "_"));
    StringBuilder out = new StringBuilder(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out.append('\n');
    }
    out.append('\n').append(title == null || title.isBlank() ? "" : title.strip() + ":\n\n");
    out.append("```sql name=").append(cellName).append('\n');
    out.append(sql.strip()).append("\n```\n");
    return NotebookParser.parse(notebook.fileName(), out.toString());
  }

  private static String freeName(Notebook notebook, String base) {
    String start = Character.isLetter(base.charAt(0)) || base.charAt(0) == '_' ? base : "q_" + base;
    String name = start;
    for (int n = 2; notebook.cell(name).isPresent(); n++) {
      name = start + "_" + n;
    }
    return name;
  }

  /** The text with the parameters it does not declare yet added to its front matter. */
  private static String withParameters(
      String text, java.util.Set<String> declared, Map<String, String> parameters) {
    StringBuilder lines = new StringBuilder();
    parameters.forEach(
        (k, v) -> {
          if (!declared.contains(k)) {
            lines
                .append("  ")
                .append(k)
                .append(": '")
                .append(v == null ? "" : v.replace("'", "''"))
                .append("'\n");
          }
        });
    if (lines.isEmpty()) {
      return text;
    }
    if (!text.startsWith("---\n")) {
      return "---\nparameters:\n" + lines + "---\n" + text;
    }
    int close = text.indexOf("\n---\n", 3);
    int at = text.indexOf("\nparameters:\n");
    if (at >= 0 && at < close) {
      int insert = at + "\nparameters:\n".length();
      return text.substring(0, insert) + lines + text.substring(insert);
    }
    return text.substring(0, close + 1) + "parameters:\n" + lines + text.substring(close + 1);
  }
}
