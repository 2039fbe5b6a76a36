package dev.tracefix.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a store or an export holds, as text, for the tests that search it for planted values:
 * a leak is a planted value found anywhere in it, so nothing may be left out.
 */
final class StoredText {
  private StoredText() {}

  /** Every value of every table of the store at {@code db}, a row per line. */
  static String ofStore(Path db) throws Exception {
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

  /** Every value of one Parquet file read back, a row per line. */
  static String ofParquet(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      return rows(s, "SELECT * FROM read_parquet('" + file + "')");
    }
  }

  /**
   * An export directory: every path under it (partition folders carry values too) and every row of
   * every Parquet file in it.
   */
  static String ofExport(Path root) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted().toList()) {
        all.append(root.relativize(p)).append('\n');
        if (p.toString().endsWith(".parquet")) {
          all.append(ofParquet(p));
        }
      }
    }
    return all.toString();
  }

  private static String rows(Statement s, String query) throws Exception {
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
