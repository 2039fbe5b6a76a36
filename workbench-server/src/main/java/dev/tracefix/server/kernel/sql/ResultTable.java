package dev.tracefix.server.kernel.sql;

import java.util.Optional;

/**
 * Where a result is kept in a notebook's database: a named cell's in {@code scratch} under its name
 * (so later cells read it by that name), an unnamed cell's in {@code tracefix_cells} under its id,
 * a Java cell's {@code sql(...)} in {@code tracefix_java}.
 */
public record ResultTable(String schema, String table) {

  /** The table of a SQL cell's result. */
  public static ResultTable ofCell(String cellId, Optional<String> name) {
    return name.map(n -> new ResultTable(NotebookDatabase.SCRATCH, n))
        .orElseGet(() -> new ResultTable(NotebookDatabase.CELLS, cellId));
  }

  /** The table behind a Java cell's {@code sql(...)} call number {@code n}. */
  public static ResultTable ofJava(long n) {
    return new ResultTable(NotebookDatabase.JAVA, "q" + n);
  }

  /** The qualified, quoted name to use in SQL. */
  public String sql() {
    return NotebookDatabase.CATALOG + "." + quote(schema) + "." + quote(table);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
