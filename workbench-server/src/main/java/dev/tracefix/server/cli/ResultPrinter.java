package dev.tracefix.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a JDBC result set as an aligned text table, RFC 4180 CSV or JSON lines. */
final class ResultPrinter {
  private ResultPrinter() {}

  static void print(ResultSet rows, ResultFormat format, PrintStream out) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(meta.getColumnLabel(i));
    }
    List<List<String>> cells = new ArrayList<>();
    List<Map<String, Object>> objects = new ArrayList<>();
    while (rows.next()) {
      List<String> row = new ArrayList<>();
      Map<String, Object> object = new LinkedHashMap<>();
      for (int i = 1; i <= columns.size(); i++) {
        Object value = rows.getObject(i);
        row.add(value == null ? "" : String.valueOf(value));
        object.put(columns.get(i - 1), jsonValue(value));
      }
      cells.add(row);
      objects.add(object);
    }
    switch (format) {
      case table -> printTable(columns, cells, out);
      case csv -> printCsv(columns, cells, out);
      case json -> printJson(objects, out);
    }
  }

  private static Object jsonValue(Object value) {
    return value == null || value instanceof Number || value instanceof Boolean
        ? value
        : String.valueOf(value);
  }

  private static void printTable(List<String> columns, List<List<String>> rows, PrintStream out) {
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    out.println(line(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(List<String> values, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      b.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", values.get(i)));
    }
    return b.toString().stripTrailing();
  }

  private static void printCsv(List<String> columns, List<List<String>> rows, PrintStream out) {
    out.println(csvLine(columns));
    rows.forEach(row -> out.println(csvLine(row)));
  }

  private static String csvLine(List<String> values) {
    List<String> quoted = new ArrayList<>();
    for (String v : values) {
      boolean needsQuotes = v.contains(",") || v.contains("\"") || v.contains("\n");
      quoted.add(needsQuotes ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
    }
    return String.join(",", quoted);
  }

  private static void printJson(List<Map<String, Object>> rows, PrintStream out) {
    ObjectMapper mapper = new ObjectMapper();
    for (Map<String, Object> row : rows) {
      try {
        out.println(mapper.writeValueAsString(row));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write a row as JSON", e);
      }
    }
  }
}
