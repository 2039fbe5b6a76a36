package dev.tracefix.sink.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Where each table lives in an export directory. Events are partitioned the way a fleet reads them
 * ({@code date=/host=/capture=}); processes and captures by capture only, so exports from many
 * machines can be merged by copying directories.
 */
final class ExportLayout {
  static final String EVENTS = "events";
  static final String PROCESSES = "processes";
  static final String CAPTURES = "captures";

  /** Tables exported per capture besides events, in import order after captures. */
  static final java.util.List<String> PER_CAPTURE =
      java.util.List.of(
          "processes", "capture_stats", "stacks", "trigger_firings", "syscall_stats", "jvm_events");

  /** Every exported table. */
  static final java.util.List<String> ALL =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(EVENTS, CAPTURES), PER_CAPTURE.stream())
          .toList();

  private ExportLayout() {}

  /** The columns {@code table}'s folders are named by, in folder order, with their types. */
  static java.util.List<ExportColumns.Column> partitions(String table) {
    return table.equals(EVENTS)
        ? java.util.List.of(
            new ExportColumns.Column("date", "DATE"),
            new ExportColumns.Column("host", "VARCHAR"),
            new ExportColumns.Column("capture", "VARCHAR"))
        : java.util.List.of(new ExportColumns.Column("capture", "VARCHAR"));
  }

  /** {@code PARTITION_BY (...)} of a COPY writing {@code table}. */
  static String partitionBy(String table) {
    return "PARTITION_BY ("
        + String.join(", ", partitions(table).stream().map(ExportColumns.Column::name).toList())
        + ")";
  }

  /** The glob DuckDB reads one table from, as a quoted SQL string literal. */
  static String glob(Path dir, String table) {
    return literal(dir.resolve(table) + "/**/*.parquet");
  }

  static String literal(Object text) {
    return "'" + text.toString().replace("'", "''") + "'";
  }

  static boolean hasParquet(Path tableDir) {
    if (!Files.isDirectory(tableDir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(tableDir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a COPY or INSERT and returns the rows it reported. */
  static long rowsOf(Statement statement, String sql) throws SQLException {
    if (statement.execute(sql)) {
      try (var rs = statement.getResultSet()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
    return Math.max(0, statement.getLargeUpdateCount());
  }
}
