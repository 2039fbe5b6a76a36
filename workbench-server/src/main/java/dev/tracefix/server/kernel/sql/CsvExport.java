package dev.tracefix.server.kernel.sql;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A kept result as RFC 4180 CSV, streamed from DuckDB in batches so a 10M-row result never sits in
 * the server's heap. Rows pass {@code guard} (the key-material check) on their way out, as pages
 * do.
 */
public final class CsvExport {
  private static final int BATCH = 1_000;

  private CsvExport() {}

  /** Writes the header and every row, sorted like the grid when {@code sort} is given. */
  public static long write(
      Connection connection,
      ResultTable table,
      Optional<String> sort,
      boolean descending,
      UnaryOperator<List<List<Object>>> guard,
      Writer out)
      throws SQLException, IOException {
    List<String> columns = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table.sql() + " LIMIT 0")) {
      for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
        columns.add(rs.getMetaData().getColumnLabel(c));
      }
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(table.sql());
    if (sort.isPresent()) {
      if (!columns.contains(sort.get())) {
        throw new ResultPages.UnknownColumn(sort.get(), columns);
      }
      sql.append(" ORDER BY ").append(ResultTable.quote(sort.get()));
      sql.append(descending ? " DESC" : " ASC").append(" NULLS LAST");
    }
    line(out, new ArrayList<>(columns));
    long written = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.toString())) {
      List<List<Object>> batch = new ArrayList<>(BATCH);
      while (rs.next()) {
        batch.add(SqlValues.row(rs, columns.size()));
        if (batch.size() == BATCH) {
          written += flush(batch, guard, out);
        }
      }
      written += flush(batch, guard, out);
    }
    out.flush();
    return written;
  }

  private static int flush(
      List<List<Object>> batch, UnaryOperator<List<List<Object>>> guard, Writer out)
      throws IOException {
    int n = batch.size();
    for (List<Object> row : guard.apply(List.copyOf(batch))) {
      line(out, row);
    }
    batch.clear();
    return n;
  }

  private static void line(Writer out, List<?> values) throws IOException {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(field(values.get(i)));
    }
    out.write("\r\n");
  }

  /** NULL is an empty field; text with a comma, quote or line break is quoted, quotes doubled. */
  static String field(Object value) {
    if (value == null) {
      return "";
    }
    String text = String.valueOf(value);
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
