package dev.tracefix.server.views;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A selection of events as a view reads it: any query's result, whatever columns it kept. A view
 * asks for the event columns it can use; a column the query left out reads as NULL (a {@code SELECT
 * time, duration_ns FROM events} still draws, on one track), so only the columns a view cannot do
 * without are required.
 */
public final class Selection {
  private final String relation;
  private final Map<String, String>
      columns; // lower-case name -> quoted name as the query spells it
  private final Map<String, String> types; // lower-case name -> DuckDB type

  private Selection(String relation, Map<String, String> columns, Map<String, String> types) {
    this.relation = relation;
    this.columns = columns;
    this.types = types;
  }

  /** Reads the columns of {@code relation} (a qualified, quoted table name). */
  public static Selection of(Connection connection, String relation) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (rs.next()) {
        String name = rs.getString("column_name");
        columns.putIfAbsent(name.toLowerCase(Locale.ROOT), quote(name));
        types.putIfAbsent(name.toLowerCase(Locale.ROOT), rs.getString("column_type"));
      }
    }
    return new Selection(relation, columns, types);
  }

  public String relation() {
    return relation;
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  /** The column as an SQL expression, or a typed NULL when the selection lacks it. */
  public String column(String column, String sqlType) {
    String quoted = columns.get(column);
    return quoted != null ? quoted : "NULL::" + sqlType;
  }

  /**
   * Fails with a message naming {@code column} and what it is for when the selection lacks it.
   *
   * @throws IllegalArgumentException when it is missing
   */
  public void require(String column, String view, String why) {
    if (!has(column)) {
      throw new IllegalArgumentException(
          "the "
              + view
              + " needs a '"
              + column
              + "' column ("
              + why
              + "); the selection has "
              + String.join(", ", columns.keySet()));
    }
  }

  /**
   * Like {@link #require}, and the column must hold timestamps (events' {@code time} is {@code
   * TIMESTAMP_NS}; a query that turned it into a number or text cannot be placed on a time axis).
   */
  public void requireTimestamp(String column, String view, String why) {
    require(column, view, why);
    String type = types.get(column);
    if (!type.startsWith("TIMESTAMP")) {
      throw new IllegalArgumentException(
          "the " + view + " needs '" + column + "' to be a timestamp (" + why + "); it is " + type);
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
