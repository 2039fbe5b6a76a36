package dev.tracefix.server.minimize;

import dev.tracefix.server.fixloop.FixLoopException;
import dev.tracefix.server.run.CellContext;
import dev.tracefix.server.run.CellOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rows a repro replays: read from an earlier SQL cell, written as CSV with a header. */
public record InputRows(List<String> columns, List<List<Object>> rows) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The full result of the SQL cell {@code name}: its table output when it holds every row,
   * otherwise (a display prefix, or the cell has not run in this session) the named result as
   * the notebook's DuckDB connection sees it.
   */
  public static InputRows fromCell(String name, CellContext context) {
    Optional<CellOutput> output = context.result(name);
    if (output.isPresent() && output.get() instanceof CellOutput.Table table
        && table.rows().size() == table.totalRows()) {
      return new InputRows(table.columns(), table.rows());
    }
    if (output.isPresent() && !(output.get() instanceof CellOutput.Table)) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          "minimize cell: input '" + name + "' is not a table (it is a "
              + output.get().getClass().getSimpleName() + "); name a sql cell");
    }
    if (!NAME.matcher(name).matches()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "minimize cell: input '" + name + "' is not a cell name");
    }
    try (Statement statement = context.sql().createStatement();
        ResultSet rs = statement.executeQuery("SELECT * FROM \"" + name + "\"")) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return new InputRows(columns, rows);
    } catch (SQLException e) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          "minimize cell: no rows for input '" + name + "'; run the sql cell name=" + name
              + " first (" + e.getMessage() + ")",
          e);
    }
  }

  /** CSV text: a header row, then one line per row (RFC 4180 quoting where needed). */
  public static String csv(List<String> columns, List<List<Object>> rows) {
    StringBuilder out = new StringBuilder();
    appendLine(out, new ArrayList<>(columns));
    for (List<Object> row : rows) {
      appendLine(out, row);
    }
    return out.toString();
  }

  public static Path writeCsv(Path file, List<String> columns, List<List<Object>> rows) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, csv(columns, rows));
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.INTERNAL, "cannot write repro input " + file + ": " + e, e);
    }
  }

  private static void appendLine(StringBuilder out, List<?> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Object value = values.get(i);
      String text = value == null ? "" : value.toString();
      if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
        text = '"' + text.replace("\"", "\"\"") + '"';
      }
      out.append(text);
    }
    out.append('\n');
  }
}
