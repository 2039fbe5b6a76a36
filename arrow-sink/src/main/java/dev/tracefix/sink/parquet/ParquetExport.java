package dev.tracefix.sink.parquet;

import static dev.tracefix.sink.parquet.ExportLayout.literal;

import dev.tracefix.capture.FileModes;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.sink.ExportResult;
import dev.tracefix.sink.SinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Writes a store's tables as Hive-partitioned, zstd-compressed Parquet. Every text value passes the
 * export's {@link ExportRedaction} on its way out ({@link RedactedTable}), and the values that
 * become folder names pass its identity check, so what leaves the machine holds no more than the
 * recognizers allow, whatever the store itself holds (rows imported from elsewhere, rows written
 * before a recognizer existed).
 */
public final class ParquetExport {
  private ParquetExport() {}

  /**
   * Exports every capture into {@code dir} (empty or absent), every text value redacted under
   * {@code key}.
   */
  public static ExportResult write(Connection connection, Path dir, HmacKey key) {
    return write(connection, dir, key, PartitionFiles.DEFAULT_TARGET_BYTES);
  }

  /**
   * Exports every capture into {@code dir} (empty or absent), every text value redacted under
   * {@code key}; each partition's rows sorted by time in files of at most {@code targetFileBytes}
   * ({@link PartitionFiles}).
   */
  public static ExportResult write(
      Connection connection, Path dir, HmacKey key, long targetFileBytes) {
    if (targetFileBytes <= 0) {
      throw new SinkException(
          SinkException.Kind.USER,
          "target file size must be positive, not " + targetFileBytes + " bytes");
    }
    prepareEmpty(dir);
    ExportRedaction redaction = new ExportRedaction(key);
    String options = "FORMAT parquet, COMPRESSION zstd";
    try (Statement statement = connection.createStatement()) {
      RedactedTable.createMappings(statement);
      UnaryOperator<String> text = redaction::text;
      UnaryOperator<String> captureId = redaction::captureId;
      Map<String, UnaryOperator<String>> ids = Map.of("capture_id", captureId);
      RedactedTable captures =
          RedactedTable.of(
              connection,
              ExportLayout.CAPTURES,
              "t",
              Map.of("capture_id", captureId, "host", redaction::redactHostname),
              text);
      int changed = captures.changedValues();
      long rows = 0;
      RedactedTable events = RedactedTable.of(connection, ExportLayout.EVENTS, "t", ids, text);
      changed += events.changedValues();
      // Partition values are path segments; the ids also stay inside the files as columns, so a
      // reader never depends on how an engine decodes directory names. The host comes from the
      // captures row, through the same mapping as captures.host.
      String host = "coalesce(hm.redacted, c.host, 'unknown')";
      rows +=
          ExportLayout.rowsOf(
              statement,
              "COPY ("
                  + events.with()
                  + "SELECT "
                  + events.selectList()
                  + ", CAST(t.time AS DATE) AS date, "
                  + host
                  + " AS host, "
                  + events.expression("capture_id")
                  + " AS capture"
                  + " FROM "
                  + events.from()
                  + " LEFT JOIN captures c ON c.capture_id = t.capture_id"
                  + " LEFT JOIN "
                  + RedactedTable.MAPPINGS
                  + " hm ON hm.col = 'captures.host'"
                  + " AND hm.original = c.host"
                  + " ORDER BY t.capture_id, t.time) TO "
                  + literal(dir.resolve(ExportLayout.EVENTS))
                  + " ("
                  + options
                  + ", "
                  + ExportLayout.partitionBy(ExportLayout.EVENTS)
                  + ")");
      for (String table : ExportLayout.PER_CAPTURE) {
        if (!hasRows(statement, table)) {
          continue; // COPY of nothing would still leave a file behind in some engines' eyes
        }
        RedactedTable redacted = RedactedTable.of(connection, table, "t", ids, text);
        changed += redacted.changedValues();
        rows +=
            ExportLayout.rowsOf(
                statement,
                "COPY ("
                    + redacted.with()
                    + "SELECT "
                    + redacted.selectList()
                    + ", "
                    + redacted.expression("capture_id")
                    + " AS capture FROM "
                    + redacted.from()
                    + " ORDER BY ALL) TO "
                    + literal(dir.resolve(table))
                    + " ("
                    + options
                    + ", "
                    + ExportLayout.partitionBy(table)
                    + ")");
      }
      rows +=
          ExportLayout.rowsOf(
              statement,
              "COPY ("
                  + captures.with()
                  + "SELECT "
                  + captures.selectList()
                  + ", "
                  + captures.expression("capture_id")
                  + " AS capture FROM "
                  + captures.from()
                  + " ORDER BY t.capture_id) TO "
                  + literal(dir.resolve(ExportLayout.CAPTURES))
                  + " ("
                  + options
                  + ", "
                  + ExportLayout.partitionBy(ExportLayout.CAPTURES)
                  + ")");
      statement.execute("DROP TABLE IF EXISTS " + RedactedTable.MAPPINGS);
      for (String table : ExportLayout.ALL) {
        PartitionFiles.rewriteTable(statement, dir.resolve(table), targetFileBytes);
      }
      FileModes.active().tightenTree(dir);
      return new ExportResult(rows, changed, redaction.counts(), redaction.keyId());
    } catch (SQLException | java.io.UncheckedIOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "exporting Parquet to " + dir + " failed: " + e.getMessage(),
          e);
    }
  }

  /** Whether {@code table} exists (a store of an older schema may lack it) and has rows. */
  private static boolean hasRows(Statement statement, String table) throws SQLException {
    try (var rs =
        statement.executeQuery(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                + " AND table_name = "
                + literal(table))) {
      rs.next();
      if (rs.getLong(1) == 0) {
        return false;
      }
    }
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
      Files.createDirectories(dir, FileModes.active().directoryAttribute());
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot create export directory " + dir + ": " + e.getMessage(),
          e);
    }
  }
}
