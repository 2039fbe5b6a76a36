package dev.tracefix.server.kernel.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns JDBC values into JSON-friendly ones (numbers, strings, booleans, lists, null). */
public final class SqlValues {
  private SqlValues() {}

  public static Object plain(Object value) throws SQLException {
    return switch (value) {
      case null -> null;
      case String s -> s;
      case Boolean b -> b;
      case Integer i -> i;
      case Long l -> l;
      case Short s -> s.intValue();
      case Byte b -> b.intValue();
      case Double d -> d;
      case Float f -> f.doubleValue();
      case BigDecimal d -> d;
      case BigInteger i -> i;
      case Array array -> {
        Object items = array.getArray();
        List<Object> list = new ArrayList<>();
        if (items instanceof Object[] objects) {
          for (Object o : objects) {
            list.add(plain(o));
          }
        }
        yield list;
      }
      case byte[] bytes -> "<" + bytes.length + " bytes>";
      case java.sql.Blob blob -> "<" + blob.length() + " bytes>";
      default -> value.toString();
    };
  }

  public static List<String> columns(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int c = 1; c <= meta.getColumnCount(); c++) {
      columns.add(meta.getColumnLabel(c));
    }
    return columns;
  }

  public static List<Object> row(ResultSet rs, int columnCount) throws SQLException {
    List<Object> row = new ArrayList<>(columnCount);
    for (int c = 1; c <= columnCount; c++) {
      row.add(plain(rs.getObject(c)));
    }
    return row;
  }

  /**
   * All rows as column-name maps: for queries whose size the caller knows is small (the analyst's
   * aggregates). Cells' results never come through here; they stay in DuckDB and are paged.
   */
  public static List<Map<String, Object>> rowMaps(ResultSet rs) throws SQLException {
    List<String> columns = columns(rs);
    List<Map<String, Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        row.put(columns.get(c), plain(rs.getObject(c + 1)));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Roughly what a row costs the server's heap and the JSON it becomes: two bytes per character,
   * sixteen per other value; what a page's byte budget counts.
   */
  public static long estimatedBytes(List<Object> row) {
    long bytes = 0;
    for (Object value : row) {
      bytes += valueBytes(value);
    }
    return bytes;
  }

  private static long valueBytes(Object value) {
    return switch (value) {
      case String s -> 16 + 2L * s.length();
      case List<?> list -> {
        long sum = 16;
        for (Object item : list) {
          sum += valueBytes(item);
        }
        yield sum;
      }
      case null, default -> 16;
    };
  }
}
