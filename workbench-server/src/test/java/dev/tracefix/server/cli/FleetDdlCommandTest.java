package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix fleet ddl} prints one table per exported table; bad input is one clear line.
 * {@code tracefix fleet compact} merges a partition's small files into one sorted file.
 */
class FleetDdlCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheSparkTablesOverALocalRoot() {
    CliRun run = CliRun.of("fleet", "ddl", "--engine", "spark", "--root", dir.toString());
    assertEquals(0, run.exit(), run.err());
    String location = "file://" + dir.toAbsolutePath();
    for (String table :
        new String[] {
          "events",
          "captures",
          "processes",
          "capture_stats",
          "stacks",
          "trigger_firings",
          "syscall_stats"
        }) {
      assertTrue(
          run.out().contains("CREATE TABLE IF NOT EXISTS tracefix." + table + " ("), run.out());
      assertTrue(run.out().contains("LOCATION '" + location + "/" + table + "'"), run.out());
    }
    assertTrue(run.out().contains("PARTITIONED BY (`date`, `host`, `capture`)"), run.out());
  }

  @Test
  void refusesAnUnknownEngine() {
    CliRun run = CliRun.of("fleet", "ddl", "--engine", "presto", "--root", "s3://b/t");
    assertTrue(run.exit() != 0);
    assertTrue(run.err().contains("unknown engine 'presto': use trino or spark"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void compactMergesAPartitionsSmallFiles() throws Exception {
    Path partition =
        Files.createDirectories(dir.resolve("root/events/date=2026-12-01/host=node-a/capture=c1"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (int k = 0; k < 3; k++) {
        s.execute(
            "COPY (SELECT TIMESTAMP_NS '2026-12-01 10:00:00' + to_seconds(30 - i * 3 - "
                + k
                + ") AS time, 'read' AS type FROM range(10) t(i)) TO '"
                + partition.resolve("small-" + k + ".parquet")
                + "' (FORMAT parquet)");
      }
    }
    CliRun run = CliRun.of("fleet", "compact", "--root", dir.resolve("root").toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals("compacted 1 partitions: 3 files into 1, 30 rows\n", run.out());
    try (var left = Files.list(partition)) {
      assertEquals(
          List.of("part-00000.parquet"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void exportIntoASharedRootRefusesACaptureAlreadyThere() throws Exception {
    Path db = dir.resolve("host.duckdb");
    Path example = ProjectPaths.home().resolve("examples/recorded-capture");
    assertEquals(
        0, CliRun.of("import", "--db", db.toString(), "--parquet", example.toString()).exit());
    Path root = dir.resolve("shared");
    String keys = dir.resolve("keys").toString();
    String[] export = {
      "export", "--db", db.toString(), "--parquet", root.toString(), "--shared", "--keys", keys
    };
    CliRun first = CliRun.of(export);
    assertEquals(0, first.exit(), first.err());
    List<Path> files;
    try (var all = Files.walk(root)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    CliRun again = CliRun.of(export);
    assertTrue(again.exit() != 0, again.out());
    assertTrue(again.err().contains("already holds capture="), again.err());
    try (var all = Files.walk(root)) {
      assertEquals(files, all.filter(Files::isRegularFile).sorted().toList());
    }
  }
}
