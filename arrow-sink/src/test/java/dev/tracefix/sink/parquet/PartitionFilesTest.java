package dev.tracefix.sink.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.TestKeys;
import dev.tracefix.sink.schema.StoreSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a distributed engine needs of each exported file, read from the Parquet metadata: rows in
 * time order, so every row group covers its own time range (min/max statistics that do not overlap
 * and only grow, within a file and from one file of a partition to the next); files no bigger than
 * the target; a partition's small files merged into one; and no row lost or changed on the way.
 */
class PartitionFilesTest {
  @TempDir Path dir;

  /** Order-independent fingerprint of an events table's rows. */
  private static final String FINGERPRINT =
      "SELECT count(*), bit_xor(hash(time, type, process_token, duration_ns, bytes)) FROM ";

  @Test
  void exportSortsEachPartitionByTimeAndCutsItAtTheTargetSize() throws Exception {
    long target = 32 * 1024;
    Path export = dir.resolve("export");
    List<Object> source;
    try (Connection store = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = store.createStatement()) {
      StoreSchema.migrate(store);
      GenericRows.fill(store, 2, 30_000, 3600); // times inserted in a shuffled order
      source = row(s, FINGERPRINT + "events");
      ParquetExport.write(store, export, TestKeys.KEY, target);
    }
    try (Connection reader = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = reader.createStatement()) {
      List<Path> partitions = PartitionFiles.partitionFolders(export.resolve("events"));
      assertEquals(2, partitions.size(), partitions.toString());
      int files = 0;
      int rowGroups = 0;
      long biggest = 0;
      for (Path partition : partitions) {
        List<Path> parts = PartitionFiles.parquetFiles(partition);
        assertTrue(parts.size() > 1, partition + " was not cut at " + target + " bytes");
        String previousMax = null;
        for (Path file : parts) {
          files++;
          List<String[]> groups = timeRanges(s, file);
          rowGroups += groups.size();
          biggest = Math.max(biggest, Files.size(file));
          assertTrue(
              Files.size(file) <= target,
              file + " is " + Files.size(file) + " bytes in " + groups.size() + " row groups");
          for (String[] group : groups) {
            assertTrue(
                previousMax == null || before(s, previousMax, group[0]),
                file + ": a row group starts at " + group[0] + " before " + previousMax);
            previousMax = group[1];
          }
        }
      }
      System.out.printf(
          "events: %d partitions, %d files (target %d KiB, biggest %d KiB), %d row groups, each"
              + " after the one before%n",
          partitions.size(), files, target / 1024, biggest / 1024, rowGroups);
      assertEquals(
          source,
          row(
              s,
              FINGERPRINT
                  + "read_parquet('"
                  + export.resolve("events")
                  + "/**/*.parquet', hive_partitioning = false)"));
    }
  }

  @Test
  void mergesThePartitionsSmallFilesIntoOneSortedFile() throws Exception {
    Path partition = Files.createDirectories(dir.resolve("events/capture=c1"));
    List<Object> source;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE events AS SELECT TIMESTAMP_NS '2026-12-01 10:00:00'"
              + " + to_microseconds((i * 7919) % 40000) AS time, 'read' AS type,"
              + " 'p-' || (i % 9) AS process_token, i AS duration_ns, i % 100 AS bytes"
              + " FROM range(40000) t(i)");
      source = row(s, FINGERPRINT + "events");
      for (int k = 0; k < 4; k++) { // four small files, as four hosts' copies would leave
        s.execute(
            "COPY (SELECT * FROM events WHERE duration_ns % 4 = "
                + k
                + ") TO '"
                + partition.resolve("small-" + k + ".parquet")
                + "' (FORMAT parquet)");
      }
      List<PartitionFiles.Rewrite> done =
          PartitionFiles.rewriteTable(
              s, dir.resolve("events"), PartitionFiles.DEFAULT_TARGET_BYTES);
      System.out.println("compacted: " + done);
      assertEquals(List.of(new PartitionFiles.Rewrite(partition, 4, 1, 40_000)), done);
      List<Path> left = PartitionFiles.parquetFiles(partition);
      assertEquals(1, left.size(), left.toString());
      try (var all = Files.list(partition)) {
        assertEquals(1, all.count(), "a temporary file was left behind");
      }
      assertEquals(source, row(s, FINGERPRINT + "read_parquet('" + left.getFirst() + "')"));
      assertEquals(
          List.of(0L),
          row(
              s,
              "SELECT count(*) FROM (SELECT time < lag(time) OVER (ORDER BY file_row_number) AS"
                  + " back FROM read_parquet('"
                  + left.getFirst()
                  + "', file_row_number = true)) WHERE back"));
    }
  }

  /** Each row group's [min, max] of {@code time}, in file order, from the footer's statistics. */
  private static List<String[]> timeRanges(Statement s, Path file) throws Exception {
    List<String[]> ranges = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT stats_min, stats_max FROM parquet_metadata('"
                + file
                + "') WHERE path_in_schema = 'time' ORDER BY row_group_id")) {
      while (rs.next()) {
        String min = rs.getString(1);
        String max = rs.getString(2);
        assertTrue(min != null && max != null, file + " has a row group without time statistics");
        ranges.add(new String[] {min, max});
      }
    }
    return ranges;
  }

  private static boolean before(Statement s, String earlier, String later) throws Exception {
    return (Boolean)
        row(
                s,
                "SELECT CAST('"
                    + earlier
                    + "' AS TIMESTAMP_NS) <= CAST('"
                    + later
                    + "' AS TIMESTAMP_NS)")
            .getFirst();
  }

  private static List<Object> row(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      List<Object> values = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(rs.getObject(i));
      }
      return values;
    }
  }
}
