package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracefix fleet ddl} prints one table per exported table; bad input is one clear line. */
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
}
