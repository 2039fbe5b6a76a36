package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers {@code tracefix capture} prints and stores agree with the rows it stored, on a
 * workload whose counts are known: stacks that went missing, and a trigger's observed rate.
 */
class CaptureCountsTest {
  private static final int CALLS = 300;
  private static final int REFUSED = 60;

  @TempDir Path dir;
  private Path workload;

  @BeforeEach
  void buildTheWorkload() throws Exception {
    CliProcess.assumeKernelCapture();
    Path source = dir.resolve("counted_workload.c");
    Files.copy(getClass().getResourceAsStream("/cli/counted_workload.c"), source);
    workload = dir.resolve("counted_workload");
    Process gcc =
        new ProcessBuilder(
                "gcc",
                "-O1",
                "-fno-omit-frame-pointer",
                "-o",
                workload.toString(),
                source.toString())
            .inheritIO()
            .start();
    assertEquals(0, gcc.waitFor(), "gcc");
  }

  private static String sql(Path db, String query) {
    CliRun run = CliRun.of("sql", "--db", db.toString(), "--format", "csv", query);
    assertEquals(0, run.exit(), run.err());
    return String.join("\n", run.out().lines().skip(1).toList());
  }

  @Test
  void stacksCountedAsMissingAreExactlyTheRowsWithoutAStack() {
    Path db = dir.resolve("stacks.duckdb");
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--probes",
            "full", // every syscall a record, each with its stack
            "--stacks",
            "syscall,uprobe,off_cpu",
            "--off-cpu",
            "--uprobe",
            workload + ":counted_work",
            "--",
            workload.toString(),
            "" + CALLS,
            "0",
            "0");
    System.out.println("CaptureCountsTest stacks:\n" + capture.out());
    assertEquals(0, capture.exit(), capture.err());
    // Per type: produced, stored, dropped, stack_failures, and the stored rows with and without
    // a stack. Rows of the traced command's own process only would be a subset: every row counts.
    String rows =
        sql(
            db,
            "SELECT s.type, s.produced, s.stored, s.dropped, s.stack_failures,"
                + " count(e.type) AS rows, count(e.type) FILTER (WHERE e.stack_id IS NULL)"
                + " AS without_stack"
                + " FROM capture_stats s LEFT JOIN events e"
                + " ON e.capture_id = s.capture_id AND e.type = s.type"
                + " WHERE s.type IN ('syscall', 'uprobe', 'off_cpu')"
                + " GROUP BY ALL ORDER BY s.type");
    System.out.println(
        "CaptureCountsTest type,produced,stored,dropped,stack_failures,rows,"
            + "without_stack:\n"
            + rows);
    List<String> lines = rows.lines().toList();
    assertEquals(3, lines.size(), rows);
    for (String line : lines) {
      String[] f = line.split(",");
      assertEquals(f[1], f[2], "nothing dropped or left out: " + line);
      assertEquals(f[2], f[5], "every stored record is a row: " + line);
      assertEquals(f[6], f[4], "stack failures are the rows without a stack: " + line);
    }
    String uprobe = lines.stream().filter(l -> l.startsWith("uprobe,")).findFirst().orElseThrow();
    assertEquals("" + CALLS, uprobe.split(",")[5], "one uprobe row per call: " + uprobe);
    // What the command printed is what the table says.
    for (String line : lines) {
      String[] f = line.split(",");
      String printed = "  " + f[0] + ": produced " + f[1] + ", stored " + f[2] + ", dropped 0";
      assertTrue(capture.out().contains(printed), printed + " in\n" + capture.out());
      assertEquals(
          !f[4].equals("0"),
          capture.out().contains(printed + ", without stack " + f[4] + "\n"),
          capture.out());
    }
  }

  @Test
  void aTriggerFiringRecordsTheRateTheBurstReallyHad() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path db = dir.resolve("trigger.duckdb");
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--probes",
            "full",
            "--trigger",
            "ECONNREFUSED > 5/s -> stacks for 1s",
            "--",
            workload.toString(),
            "0",
            "" + REFUSED,
            "" + closedPort);
    assertEquals(0, capture.exit(), capture.err());
    String firing =
        sql(
            db,
            "SELECT observed_per_s, threshold_per_s,"
                + " (SELECT count(*) FROM events WHERE errno_name = 'ECONNREFUSED'),"
                + " (SELECT count(*) FROM events WHERE errno_name = 'ECONNREFUSED'"
                + "  AND time < (SELECT min(time) FROM events WHERE errno_name = 'ECONNREFUSED')"
                + "  + INTERVAL 1 SECOND)"
                + " FROM trigger_firings");
    System.out.println("CaptureCountsTest observed,threshold,refused,in_first_second: " + firing);
    String[] f = firing.split(",");
    assertEquals("" + REFUSED, f[2], "every refused connect is a row");
    assertEquals(f[2], f[3], "the burst fits in its first second");
    assertEquals(Double.parseDouble(f[3]), Double.parseDouble(f[0]), "observed: " + firing);
  }
}
