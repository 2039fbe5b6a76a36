package dev.tracefix.sink.parquet;

import static dev.tracefix.sink.parquet.ExportLayout.glob;

import dev.tracefix.sink.SinkException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Loads a {@link ParquetExport} directory. Idempotent per capture: a capture whose id the store
 * already holds is skipped entirely, so re-importing (or importing overlapping exports) never
 * duplicates rows.
 */
public final class ParquetImport {
  private static final String READ_OPTIONS =
      "hive_partitioning = true, hive_types_autocast = false";

  private ParquetImport() {}

  /** Imports the captures in {@code dir} this store lacks; returns rows inserted. */
  public static long read(Connection connection, Path dir) {
    boolean hasCaptures;
    boolean hasEvents;
    try {
      hasCaptures = ExportLayout.hasParquet(dir.resolve(ExportLayout.CAPTURES));
      hasEvents = ExportLayout.hasParquet(dir.resolve(ExportLayout.EVENTS));
    } catch (UncheckedIOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot read export directory " + dir, e.getCause());
    }
    if (!hasCaptures) {
      throw new SinkException(
          SinkException.Kind.USER,
          "no tracefix export at "
              + dir
              + ": expected Parquet files under "
              + dir.resolve(ExportLayout.CAPTURES)
              + " (write one with EventStore.exportParquet)");
    }
    try {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        long rows = importAll(statement, dir, hasEvents);
        connection.commit();
        return rows;
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.DATA,
          "importing the tracefix export at "
              + dir
              + " failed, nothing was imported: "
              + e.getMessage(),
          e);
    }
  }

  private static long importAll(Statement statement, Path dir, boolean hasEvents)
      throws SQLException {
    String captureGlob = glob(dir, ExportLayout.CAPTURES);
    String captureColumns = sharedColumns(statement, "captures", captureGlob);
    statement.execute(
        "CREATE OR REPLACE TEMP TABLE tracefix_import_new_captures AS SELECT "
            + captureColumns
            + " FROM read_parquet("
            + glob(dir, ExportLayout.CAPTURES)
            + ", "
            + READ_OPTIONS
            + ") WHERE capture_id NOT IN (SELECT capture_id FROM captures)");
    // No try/finally: on failure the rollback removes the temporary table with everything else,
    // and a cleanup statement there would only hide the error that matters.
    long rows =
        ExportLayout.rowsOf(
            statement,
            "INSERT INTO captures ("
                + captureColumns
                + ") SELECT "
                + captureColumns
                + " FROM tracefix_import_new_captures");
    if (hasEvents) {
      String glob = glob(dir, ExportLayout.EVENTS);
      rows += insertFor(statement, "events", sharedColumns(statement, "events", glob), glob);
    }
    for (String table : ExportLayout.PER_CAPTURE) {
      if (ExportLayout.hasParquet(dir.resolve(table))) {
        String glob = glob(dir, table);
        rows += insertFor(statement, table, sharedColumns(statement, table, glob), glob);
      }
    }
    statement.execute("DROP TABLE tracefix_import_new_captures");
    return rows;
  }

  /**
   * The columns both the files and the table have, in the table's order: an export written before a
   * column was added imports with that column NULL, and partition-only columns are left out.
   */
  private static String sharedColumns(Statement statement, String table, String glob)
      throws SQLException {
    java.util.Set<String> inFiles = new java.util.HashSet<>();
    try (var rs =
        statement.executeQuery(
            "DESCRIBE SELECT * FROM read_parquet(" + glob + ", " + READ_OPTIONS + ")")) {
      while (rs.next()) {
        inFiles.add(rs.getString(1));
      }
    }
    java.util.List<String> shared = new java.util.ArrayList<>();
    try (var rs =
        statement.executeQuery(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = "
                + ExportLayout.literal(table)
                + " AND schema_name = 'main' ORDER BY column_index")) {
      while (rs.next()) {
        if (inFiles.contains(rs.getString(1))) {
          shared.add(rs.getString(1));
        }
      }
    }
    if (!shared.contains("capture_id")) {
      throw new SQLException(table + " files under " + glob + " have no capture_id column");
    }
    return String.join(", ", shared);
  }

  private static long insertFor(Statement statement, String table, String columns, String glob)
      throws SQLException {
    return ExportLayout.rowsOf(
        statement,
        "INSERT INTO "
            + table
            + " ("
            + columns
            + ") SELECT "
            + columns
            + " FROM read_parquet("
            + glob
            + ", "
            + READ_OPTIONS
            + ") WHERE capture_id IN (SELECT capture_id FROM tracefix_import_new_captures)");
  }
}
