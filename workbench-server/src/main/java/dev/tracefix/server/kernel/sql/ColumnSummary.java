package dev.tracefix.server.kernel.sql;

import dev.tracefix.server.wire.MayBeNull;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One column of a kept result summarized on demand by DuckDB, so the server never holds the column:
 * its type, smallest and largest value (as text; null for types without an order, such as structs),
 * nulls, and a HyperLogLog estimate of distinct values.
 */
public record ColumnSummary(
    String column,
    String type,
    long rows,
    long nulls,
    long distinctApprox,
    @MayBeNull String min,
    @MayBeNull String max) {

  /**
   * @throws ResultPages.UnknownColumn when {@code table} has no such column
   */
  public static ColumnSummary of(Connection connection, ResultTable table, String column)
      throws SQLException {
    String type = null;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + table.sql())) {
      java.util.List<String> names = new java.util.ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
        if (rs.getString(1).equals(column)) {
          type = rs.getString(2);
        }
      }
      if (type == null) {
        throw new ResultPages.UnknownColumn(column, names);
      }
    }
    String c = ResultTable.quote(column);
    long rows;
    long nulls;
    long distinct;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(*) - count("
                    + c
                    + "), approx_count_distinct("
                    + c
                    + ") FROM "
                    + table.sql())) {
      rs.next();
      rows = rs.getLong(1);
      nulls = rs.getLong(2);
      distinct = rs.getLong(3);
    }
    String min = null;
    String max = null;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT min(" + c + ")::VARCHAR, max(" + c + ")::VARCHAR FROM " + table.sql())) {
      rs.next();
      min = rs.getString(1);
      max = rs.getString(2);
    } catch (SQLException unordered) {
      // Types DuckDB cannot order (maps, unions) have no min or max; the rest still holds.
    }
    return new ColumnSummary(column, type, rows, nulls, distinct, min, max);
  }

  /** This summary with {@code guard} applied to the values it quotes. */
  public ColumnSummary withText(java.util.function.UnaryOperator<String> guard) {
    return new ColumnSummary(
        column, type, rows, nulls, distinctApprox, guard.apply(min), guard.apply(max));
  }
}
