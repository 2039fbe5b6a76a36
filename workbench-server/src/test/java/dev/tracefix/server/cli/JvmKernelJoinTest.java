package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.query.SavedQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM ({@code jvm/JoinService.java}) run under a full kernel capture with off-CPU time and
 * recorded by its flight recorder; the recording imported into the same store afterwards. Its
 * socket writes are seen twice, as {@code write} syscalls and as {@code jdk.SocketWrite}: the two
 * line up on the thread token and on the clock. The saved {@code jvm-*} queries find what the
 * service planted.
 */
class JvmKernelJoinTest {
  /** Socket writes the service makes, of sizes 1001 to 1000 + WRITES bytes. */
  private static final int WRITES = 20;

  /**
   * How far a write syscall may stick out of its jdk.SocketWrite window: the recorder stamps the
   * event before and after the JDK's call into the kernel, so the syscall should lie inside;
   * measured offsets are printed.
   */
  private static final long BOUND_NS = 1_000_000;

  @TempDir static Path dir;
  static Path db;
  static CliRun imported;

  @BeforeAll
  static void captureAndImport() throws Exception {
    CliProcess.assumeKernelCapture();
    db = dir.resolve("join.duckdb");
    Path recording = dir.resolve("join.jfr");
    String keys = dir.resolve("keys").toString();
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            keys,
            "--probes",
            "full",
            "--off-cpu",
            "1ms",
            "--",
            RecordedService.java(),
            "-XX:StartFlightRecording=filename="
                + recording
                + ","
                + RecordedService.RECORDER_SETTINGS,
            Path.of("src/test/resources/jvm/JoinService.java").toAbsolutePath().toString(),
            Integer.toString(WRITES));
    assertEquals(0, capture.exit(), capture.err());
    imported =
        CliRun.of("import", "--jfr", recording.toString(), "--db", db.toString(), "--keys", keys);
    assertEquals(0, imported.exit(), imported.err());
    System.out.println("JvmKernelJoinTest: " + imported.out().lines().findFirst().orElse(""));
  }

  @Test
  void eachJfrSocketWriteHasItsWriteSyscallOnTheSameThreadWithinTheBound() throws Exception {
    assertTrue(
        !imported.out().contains("will not join kernel captures"),
        "the JVM's identity is found through the kernel capture: " + imported.out());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                """
                SELECT j.bytes,
                       epoch_ns(e.time) - e.duration_ns - epoch_ns(j.time) AS enter_after_start,
                       epoch_ns(j.time) + j.duration_ns - epoch_ns(e.time) AS exit_before_end
                FROM jvm_events j
                JOIN events e ON e.thread_token = j.thread_token AND e.bytes = j.bytes
                 AND e.syscall = 'write' AND e.process_token = j.process_token
                WHERE j.type = 'jdk.SocketWrite' AND j.bytes > 1000
                ORDER BY j.bytes
                """)) {
      List<long[]> pairs = new ArrayList<>();
      while (rs.next()) {
        pairs.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
      }
      assertEquals(WRITES, pairs.size(), "one syscall per jdk.SocketWrite, by thread and size");
      long worst = 0;
      long minEnter = Long.MAX_VALUE;
      long maxEnter = Long.MIN_VALUE;
      for (long[] p : pairs) {
        worst = Math.max(worst, Math.max(-p[1], -p[2]));
        minEnter = Math.min(minEnter, p[1]);
        maxEnter = Math.max(maxEnter, p[1]);
      }
      System.out.printf(
          "JvmKernelJoinTest: %d socket writes matched; syscall entry %d..%d ns after the"
              + " jdk.SocketWrite start; worst excursion outside the JFR window %d ns (bound %d)%n",
          pairs.size(), minEnter, maxEnter, Math.max(0, worst), BOUND_NS);
      assertTrue(worst <= BOUND_NS, "worst excursion " + worst + " ns");
    }
  }

  @Test
  void theJvmQueriesFindThePlantedSituations() throws Exception {
    List<Map<String, String>> connects = run("jvm-exceptions-around-failing-connects");
    assertTrue(
        connects.stream()
            .anyMatch(
                r ->
                    "ECONNREFUSED".equals(r.get("errno_name"))
                        && "java.net.ConnectException".equals(r.get("object_class"))
                        && "connector".equals(r.get("thread_name"))),
        "a refused connect beside its ConnectException: " + connects);

    List<Map<String, String>> reads = run("jvm-socket-reads-vs-kernel-recv");
    List<Map<String, String>> slow =
        reads.stream()
            .filter(r -> "reader".equals(r.get("thread_name")))
            .filter(r -> Double.parseDouble(r.get("java_read_us")) >= 25_000)
            .toList();
    assertTrue(slow.size() >= 3, "the three held-back replies: " + reads);
    for (Map<String, String> r : slow) {
      assertTrue(
          Long.parseLong(r.get("kernel_calls")) >= 1
              && Double.parseDouble(r.get("kernel_share_pct")) > 50,
          "a blocking read waited in the kernel: " + r);
    }

    List<Map<String, String>> monitors = run("jvm-monitor-contention-vs-off-cpu");
    assertTrue(
        monitors.stream()
            .anyMatch(
                r ->
                    "jdk.JavaMonitorEnter".equals(r.get("type"))
                        && "JoinService$Lock".equals(r.get("object_class"))
                        && Double.parseDouble(r.get("java_blocked_ms")) >= 10
                        && Double.parseDouble(r.get("off_cpu_ms")) >= 5),
        "the contended monitor, with the contender's off-CPU time: " + monitors);

    List<Map<String, String>> gc = run("jvm-syscall-latency-during-gc");
    assertTrue(
        gc.stream()
            .anyMatch(
                r ->
                    "write".equals(r.get("syscall"))
                        && !"running".equals(r.get("jvm_was"))
                        && Long.parseLong(r.get("calls")) >= 1),
        "writes overlapping a GC pause or safepoint: " + gc);
    System.out.printf(
        "JvmKernelJoinTest: queries returned %d failing-connect rows, %d held-back reads,"
            + " %d monitor rows, %d GC/safepoint rows%n",
        connects.size(), slow.size(), monitors.size(), gc.size());
  }

  /** The saved query's rows with its default parameters, each a map of column to text. */
  private static List<Map<String, String>> run(String name) throws Exception {
    SavedQuery query = SavedQuery.read(ProjectPaths.home().resolve("queries/" + name + ".sql"));
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query.bind(Map.of()))) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
