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
  private static final String CAPTURE_COLUMNS =
      "capture_id, host, started_at, ended_at, probes, event_count, drop_count, key_id,"
          + " command_exit_code";
  private static final String EVENT_COLUMNS =
      "capture_id, time, type, process_token, duration_ns, bytes, errno, errno_name, peer_hash,"
          + " key_id";
  private static final String PROCESS_COLUMNS =
      "capture_id, token, comm, build_id, cgroup, exe_hash, key_id";
  private static final String READ_OPTIONS =
      "hive_partitioning = true, hive_types_autocast = false";

  private ParquetImport() {}

  /** Imports the captures in {@code dir} this store lacks; returns rows inserted. */
  public static long read(Connection connection, Path dir) {
    boolean hasCaptures;
    boolean hasEvents;
    boolean hasProcesses;
    try {
      hasCaptures = ExportLayout.hasParquet(dir.resolve(ExportLayout.CAPTURES));
      hasEvents = ExportLayout.hasParquet(dir.resolve(ExportLayout.EVENTS));
      hasProcesses = ExportLayout.hasParquet(dir.resolve(ExportLayout.PROCESSES));
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
        long rows = importAll(statement, dir, hasEvents, hasProcesses);
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
          "importing the tracefix export at " + dir + " failed, nothing was imported: "
              + e.getMessage(),
          e);
    }
  }

  private static long importAll(
      Statement statement, Path dir, boolean hasEvents, boolean hasProcesses)
      throws SQLException {
    statement.execute(
        "CREATE OR REPLACE TEMP TABLE tracefix_import_new_captures AS SELECT "
            + CAPTURE_COLUMNS
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
                + CAPTURE_COLUMNS
                + ") SELECT "
                + CAPTURE_COLUMNS
                + " FROM tracefix_import_new_captures");
    if (hasEvents) {
      rows += insertFor(statement, "events", EVENT_COLUMNS, glob(dir, ExportLayout.EVENTS));
    }
    if (hasProcesses) {
      rows += insertFor(statement, "processes", PROCESS_COLUMNS, glob(dir, ExportLayout.PROCESSES));
    }
    statement.execute("DROP TABLE tracefix_import_new_captures");
    return rows;
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
