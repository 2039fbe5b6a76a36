package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture -- CMD} starts the command only once the probes are attached, however
 * long start-up takes: its exec and its very first calls are in the capture.
 */
class CommandStartTest {
  @TempDir Path dir;

  @Test
  void theCommandStartsAfterTheProbesAttachSoItsFirstCallsAreCaptured() {
    CliProcess.assumeKernelCapture();
    Path db = dir.resolve("c.duckdb");
    Path missing = dir.resolve("tracefix-first-open");
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--",
            "cat",
            missing.toString());
    assertEquals(1, capture.exit(), "cat's own exit code: " + capture.err());
    CliRun rows =
        CliRun.of(
            "sql",
            "--db",
            db.toString(),
            "--format",
            "csv",
            "SELECT (SELECT count(*) FROM events e JOIN processes p ON p.capture_id = e.capture_id"
                + "  AND p.token = e.process_token WHERE p.comm = 'cat' AND e.type = 'process_exec'),"
                + " (SELECT count(*) FROM events e JOIN processes p ON p.capture_id = e.capture_id"
                + "  AND p.token = e.process_token WHERE p.comm = 'cat' AND e.syscall = 'openat'"
                + "  AND e.errno_name = 'ENOENT'),"
                + " (SELECT count(*) FROM events e, captures c WHERE e.capture_id = c.capture_id"
                + "  AND e.time < c.started_at)");
    System.out.println("CommandStartTest exec, failed open, events before start: " + rows.out());
    assertEquals(0, rows.exit(), rows.err());
    String[] f = rows.out().lines().skip(1).findFirst().orElseThrow().split(",");
    assertEquals("1", f[0], "the command's exec is captured");
    assertTrue(Integer.parseInt(f[1]) >= 1, "its open of the missing file is captured");
    assertEquals("0", f[2], "nothing is recorded before the probes were attached");
  }
}
