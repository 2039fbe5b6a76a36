package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture} without --probes captures in default mode: the command's syscalls land
 * in syscall_stats (counted in the kernel), no raw_syscalls probe is attached, and the agent's caps
 * (Java heap and collector, the store's DuckDB memory_limit and threads, the batch size) are
 * applied and printed at start.
 */
class CaptureDefaultModeCliTest {
  private static final Pattern LIMITS =
      Pattern.compile(
          "tracefix capture: limits: java heap max (\\d+) MiB \\(([^)]+)\\), store"
              + " memory_limit=(\\S+ \\S+) threads=(\\d+), batches of (\\d+) events");

  @TempDir Path dir;

  @Test
  void aDefaultCaptureAggregatesItsCallsUnderTheConfiguredCaps() throws Exception {
    CliProcess.assumeKernelCapture();
    Path db = dir.resolve("d.duckdb");
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--store-memory-mb",
            "64",
            "--store-threads",
            "1",
            "--batch-rows",
            "1000",
            "--stats-interval",
            "200ms",
            "--",
            "dd",
            "if=/dev/zero",
            "of=/dev/null",
            "bs=1",
            "count=1000");
    assertEquals(0, capture.exit(), capture.err());
    Matcher m = LIMITS.matcher(capture.err());
    assertTrue(m.find(), capture.err());
    System.out.println("CaptureDefaultModeCliTest: " + m.group());
    assertEquals("64.0 MiB", m.group(3));
    assertEquals("1", m.group(4));
    assertEquals("1000", m.group(5));
    assertEquals(Runtime.getRuntime().maxMemory() >> 20, Long.parseLong(m.group(1)));
    assertTrue(!m.group(2).isBlank(), "the collectors are named: " + m.group());

    CliRun probes =
        CliRun.of(
            "sql",
            "--db",
            db.toString(),
            "--format",
            "csv",
            "SELECT count(*) FROM (SELECT unnest(probes) AS p FROM captures) WHERE p LIKE '%raw_syscalls%'");
    assertEquals("count_star()\n0\n", probes.out(), probes.err());
    CliRun calls =
        CliRun.of(
            "sql",
            "--db",
            db.toString(),
            "--format",
            "csv",
            "SELECT syscall, sum(calls) AS calls FROM syscall_stats s JOIN processes p"
                + " ON p.token = s.process_token AND p.capture_id = s.capture_id"
                + " WHERE p.comm = 'dd' AND syscall IN ('read', 'write') AND errno = 0"
                + " GROUP BY syscall ORDER BY syscall");
    assertEquals(0, calls.exit(), calls.err());
    System.out.println("CaptureDefaultModeCliTest: " + calls.out().replace('\n', ' '));
    String[] rows = calls.out().strip().split("\n");
    assertEquals(3, rows.length, calls.out());
    // dd copies 1000 single bytes: at least 1000 reads of /dev/zero and 1000 writes.
    assertTrue(Long.parseLong(rows[1].split(",")[1]) >= 1000, calls.out());
    assertTrue(Long.parseLong(rows[2].split(",")[1]) >= 1000, calls.out());
  }
}
