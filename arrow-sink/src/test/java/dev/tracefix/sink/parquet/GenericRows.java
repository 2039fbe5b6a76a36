package dev.tracefix.sink.parquet;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills whatever exported tables a store has, at whatever schema version, with rows built from the
 * columns' declared types: so a test covers every version's columns without a list of them.
 */
public final class GenericRows {
  private GenericRows() {}

  /**
   * {@code rows} rows per exported table (one {@code captures} row per capture) for {@code
   * captures} captures, times spread over {@code spanSeconds} in a shuffled order.
   */
  public static void fill(Connection store, int captures, int rows, int spanSeconds)
      throws SQLException {
    try (Statement s = store.createStatement()) {
      for (String table : ExportLayout.ALL) {
        List<String[]> columns = columns(s, table);
        if (columns.isEmpty()) {
          continue; // this version has no such table yet
        }
        int perCapture =
            switch (table) {
              case ExportLayout.CAPTURES -> 1;
              case ExportLayout.EVENTS -> rows;
              default -> Math.min(rows, 200); // keys such as stack ids stay unique per capture
            };
        List<String> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String[] column : columns) {
          names.add("\"" + column[0] + "\"");
          values.add(value(table, column[0], column[1], spanSeconds));
        }
        s.execute(
            "INSERT INTO "
                + table
                + " ("
                + String.join(", ", names)
                + ") SELECT "
                + String.join(", ", values)
                + " FROM range("
                + captures
                + ") c(c), range("
                + perCapture
                + ") r(i)");
      }
    }
  }

  private static List<String[]> columns(Statement s, String table) throws SQLException {
    List<String[]> columns = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = '"
                + table
                + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        columns.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    return columns;
  }

  /** A value of {@code type} for row i of capture c; times shuffled by a multiplicative hash. */
  private static String value(String table, String name, String type, int spanSeconds) {
    String shuffled = "((i * 7919 + c * 104729) % " + Math.max(1, spanSeconds) * 1000L + ")";
    return switch (name) {
      case "capture_id" -> "'cap-' || c";
      case "host" -> "'host-' || c";
      default ->
          switch (type) {
            // few distinct values in events (redaction maps each distinct value); unique ones in
            // the small tables, whose keys may include a text column
            case "VARCHAR" ->
                "'" + name + "-' || " + (table.equals(ExportLayout.EVENTS) ? "(i % 7)" : "i");
            case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER" ->
                "CAST(i % 1000 AS " + type + ")";
            case "DOUBLE", "FLOAT" -> "CAST(i / 2 AS " + type + ")";
            case "BOOLEAN" -> "i % 2 = 0";
            case "DATE" -> "DATE '2026-12-01'";
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP WITH TIME ZONE" ->
                "CAST(TIMESTAMP '2026-12-01 10:00:00' + to_milliseconds("
                    + shuffled
                    + ") AS "
                    + type
                    + ")";
            case "VARCHAR[]" -> "['" + name + "']";
            case "BIGINT[]", "INTEGER[]" -> "[i % 5, 1]";
            default ->
                throw new IllegalStateException(
                    "GenericRows has no value for " + name + " of type " + type);
          };
    };
  }
}
