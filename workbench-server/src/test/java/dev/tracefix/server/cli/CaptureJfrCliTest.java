package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture --jfr -- java ...}: the launched JVM records itself, and its events land
 * in the capture's own rows, joined to the kernel rows of the same threads.
 */
class CaptureJfrCliTest {
  private static final int WRITES = 5;

  @TempDir Path dir;

  @Test
  void theLaunchedJvmsRecordingIsStoredWithTheCaptureAndJoinsItsKernelRows() throws Exception {
    CliProcess.assumeKernelCapture();
    Path db = dir.resolve("live.duckdb");
    java.util.Set<Path> recordingsBefore = recordingDirs();
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--probes",
            "full",
            "--jfr",
            "--",
            RecordedService.java(),
            Path.of("src/test/resources/jvm/JoinService.java").toAbsolutePath().toString(),
            Integer.toString(WRITES));
    assertEquals(0, capture.exit(), capture.err());
    assertTrue(capture.err().contains("JVM events"), capture.err());
    assertTrue(!capture.err().contains("do not join"), capture.err());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      assertEquals(1, count(s, "SELECT count(*) FROM captures WHERE list_contains(probes, 'jfr')"));
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM jvm_events j WHERE capture_id NOT IN"
                  + " (SELECT capture_id FROM events)"),
          "JVM rows are in the kernel capture");
      Map<String, Long> byType = new TreeMap<>();
      try (ResultSet rs = s.executeQuery("SELECT type, count(*) FROM jvm_events GROUP BY type")) {
        while (rs.next()) {
          byType.put(rs.getString(1), rs.getLong(2));
        }
      }
      System.out.println("CaptureJfrCliTest: jvm_events by type " + byType);
      assertTrue(byType.getOrDefault("jdk.JavaExceptionThrow", 0L) >= 3, byType::toString);
      assertTrue(byType.getOrDefault("jdk.SocketWrite", 0L) >= WRITES, byType::toString);
      long joined =
          count(
              s,
              "SELECT count(*) FROM jvm_events j JOIN events e ON e.capture_id = j.capture_id"
                  + " AND e.thread_token = j.thread_token AND e.bytes = j.bytes"
                  + " AND e.syscall = 'write' WHERE j.type = 'jdk.SocketWrite' AND j.bytes > 1000");
      assertEquals(WRITES, joined, "each sized write seen by both, on the same thread token");
    }
    assertEquals(recordingsBefore, recordingDirs(), "the raw recording is removed");
  }

  @Test
  void jfrWithACommandThatIsNoJavaLauncherIsRefusedBeforeAnythingIsCreated() {
    Path db = dir.resolve("refused.duckdb");
    CliRun run = CliRun.of("capture", "--db", db.toString(), "--jfr", "--", "sleep", "1");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("-- java"), run.err());
    assertTrue(Files.notExists(db), "no database for a refused capture");
  }

  private static java.util.Set<Path> recordingDirs() throws Exception {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("tracefix-jfr-"))
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
