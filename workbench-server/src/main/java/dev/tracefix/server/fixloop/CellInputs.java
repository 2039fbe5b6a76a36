package dev.tracefix.server.fixloop;

import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.CellContext;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rows a repro replays, read from an earlier cell of the notebook. */
public final class CellInputs {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private CellInputs() {}

  /**
   * The full result of the cell {@code name}: a minimize cell's minimal rows; a SQL cell's table
   * output when it holds every row, otherwise (a display prefix, or the cell has not run in this
   * session) the named result as the notebook's DuckDB connection sees it.
   */
  public static InputTable fromCell(String cellKind, String name, CellContext context) {
    Optional<CellOutput> output = context.result(name);
    if (output.isPresent() && output.get() instanceof CellOutput.Minimized m) {
      return new InputTable(m.columns(), m.rows());
    }
    if (output.isPresent()
        && output.get() instanceof CellOutput.Table table
        && table.rows().size() == table.totalRows()) {
      return new InputTable(table.columns(), table.rows());
    }
    if (output.isPresent() && !(output.get() instanceof CellOutput.Table)) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          cellKind
              + " cell: input '"
              + name
              + "' is not a table (it is a "
              + output.get().getClass().getSimpleName()
              + "); name a sql or minimize cell");
    }
    if (!NAME.matcher(name).matches()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, cellKind + " cell: input '" + name + "' is not a cell name");
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
      return new InputTable(columns, rows);
    } catch (SQLException e) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          cellKind
              + " cell: no rows for input '"
              + name
              + "'; run the sql cell name="
              + name
              + " first ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
