package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a running {@code tracefix capture} stops it in order: the ring is drained, the probes
 * detached, the capture stored complete, and no BPF program of it stays loaded.
 */
class CaptureSignalTest {
  @TempDir Path dir;

  @Test
  void sigtermDetachesStoresACompleteCaptureAndUnloadsEveryProgram() throws Exception {
    CliProcess.assumeKernelCapture();
    Path db = dir.resolve("signal.duckdb");
    Process workload =
        new ProcessBuilder("sh", "-c", "while :; do head -c 64 /proc/version > /dev/null; done")
            .start();
    Set<Integer> programs;
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "60s",
            "--pid",
            Long.toString(workload.pid()))) {
      cli.awaitErrLine(l -> l.contains("probes attached"), "that probes are attached");
      programs = bpfProgramIds(cli.process.pid());
      assertFalse(programs.isEmpty(), "the capture holds BPF programs while it runs");
      long signalled = System.nanoTime();
      // SIGTERM through the handle: Process.destroy() would also close the pipes that carry the
      // summary tracefix prints while it stops.
      assertTrue(cli.process.toHandle().destroy(), "SIGTERM sent");
      int exit = cli.awaitExit();
      System.out.printf(
          "exit %d after %d ms; programs held while running: %s%nstdout:%n%s",
          exit, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled), programs, cli.out());
      assertEquals(143, exit, "the JVM's exit status for SIGTERM after its shutdown hooks ran");
      assertTrue(
          cli.out().contains("events stored,"),
          "the summary was printed: " + cli.out() + cli.err());
      assertFalse(cli.err().contains("\tat "), "no stack trace: " + cli.err());
    } finally {
      workload.destroyForcibly();
    }

    for (int id : programs) {
      Process show =
          new ProcessBuilder("bpftool", "prog", "show", "id", Integer.toString(id))
              .redirectErrorStream(true)
              .start();
      String out = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(show.waitFor(30, TimeUnit.SECONDS));
      assertTrue(show.exitValue() != 0, "program " + id + " is still loaded: " + out);
    }

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT ended_at, event_count, boot_id FROM captures")) {
        assertTrue(rs.next(), "the captures row exists");
        assertNotNull(rs.getObject(1), "ended_at is set: the summary was stored");
        assertTrue(rs.getLong(2) > 0, "events were captured");
        assertNotNull(rs.getString(3), "the summary's boot id hash was stored");
      }
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT type, produced, stored, dropped FROM capture_stats ORDER BY type")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          System.out.printf(
              "capture_stats %s: produced %d, stored %d, dropped %d%n",
              rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
          assertEquals(rs.getLong(2), rs.getLong(3) + rs.getLong(4), rs.getString(1));
        }
        assertTrue(rows > 0, "capture_stats has the kernel's accounting");
      }
    }
  }

  /** The ids of the BPF programs a process holds open, from /proc/PID/fdinfo. */
  private static Set<Integer> bpfProgramIds(long pid) throws IOException {
    Set<Integer> ids = new TreeSet<>();
    try (DirectoryStream<Path> fds =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/fdinfo"))) {
      for (Path fd : fds) {
        try {
          for (String line : Files.readAllLines(fd)) {
            if (line.startsWith("prog_id:")) {
              ids.add(Integer.parseInt(line.substring(8).strip()));
            }
          }
        } catch (IOException closedMeanwhile) {
          // An fd closed between listing and reading: not a program's.
        }
      }
    }
    return ids;
  }
}
