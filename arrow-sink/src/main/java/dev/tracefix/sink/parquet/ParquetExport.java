package dev.tracefix.sink.parquet;

import static dev.tracefix.sink.parquet.ExportLayout.literal;

import dev.tracefix.sink.SinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/** Writes a store's tables as Hive-partitioned, zstd-compressed Parquet. */
public final class ParquetExport {
  private ParquetExport() {}

  /** Exports every capture into {@code dir} (empty or absent); returns rows written. */
  public static long write(Connection connection, Path dir) {
    prepareEmpty(dir);
    String options = "FORMAT parquet, COMPRESSION zstd";
    try (Statement statement = connection.createStatement()) {
      long rows = 0;
      // Partition values are path segments; the ids also stay inside the files as columns, so a
      // reader never depends on how an engine decodes directory names.
      rows +=
          ExportLayout.rowsOf(
              statement,
              "COPY (SELECT e.*, CAST(e.time AS DATE) AS date,"
                  + " coalesce(c.host, 'unknown') AS host, e.capture_id AS capture"
                  + " FROM events e LEFT JOIN captures c ON c.capture_id = e.capture_id"
                  + " ORDER BY e.capture_id, e.time) TO "
                  + literal(dir.resolve(ExportLayout.EVENTS))
                  + " ("
                  + options
                  + ", PARTITION_BY (date, host, capture))");
      for (String table : ExportLayout.PER_CAPTURE) {
        if (!hasRows(statement, table)) {
          continue; // COPY of nothing would still leave a file behind in some engines' eyes
        }
        rows +=
            ExportLayout.rowsOf(
                statement,
                "COPY (SELECT *, capture_id AS capture FROM "
                    + table
                    + " ORDER BY ALL) TO "
                    + literal(dir.resolve(table))
                    + " ("
                    + options
                    + ", PARTITION_BY (capture))");
      }
      rows +=
          ExportLayout.rowsOf(
              statement,
              "COPY (SELECT *, capture_id AS capture FROM captures ORDER BY capture_id) TO "
                  + literal(dir.resolve(ExportLayout.CAPTURES))
                  + " ("
                  + options
                  + ", PARTITION_BY (capture))");
      return rows;
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "exporting Parquet to " + dir + " failed: " + e.getMessage(),
          e);
    }
  }

  private static boolean hasRows(Statement statement, String table) throws SQLException {
    try (var rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static void prepareEmpty(Path dir) {
    try {
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) {
          throw new SinkException(
              SinkException.Kind.USER, "export target " + dir + " is a file, not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new SinkException(
                SinkException.Kind.USER,
                "export directory "
                    + dir
                    + " is not empty; export into a new directory so no capture is written twice");
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot create export directory " + dir + ": " + e.getMessage(),
          e);
    }
  }
}
