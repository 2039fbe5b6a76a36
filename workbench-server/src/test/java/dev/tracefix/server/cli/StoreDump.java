package dev.tracefix.server.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Every value a store holds, as text, for leak searches. */
final class StoreDump {
  private StoreDump() {}

  /** Every value of every table of the store, one line per row. */
  static String all(Path db) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        all.append(rows(s, "SELECT * FROM \"" + table + "\""));
      }
    }
    return all.toString();
  }

  /** The rows of {@code query}, values tab-separated, one line per row. */
  static String rows(Statement s, String query) throws Exception {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = s.executeQuery(query)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          out.append(rs.getString(i)).append('\t');
        }
        out.append('\n');
      }
    }
    return out.toString();
  }
}
