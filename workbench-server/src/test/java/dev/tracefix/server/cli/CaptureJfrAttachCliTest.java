package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture --jfr --pid PID}: a JVM that already runs, as another user, is attached
 * to and its flight recorder streamed into the capture while it runs. The service (jvm/
 * AttachService.java) throws, writes to a socket and parks once per planted value, on a thread
 * named after the value, only once the capture's probes are attached.
 */
class CaptureJfrAttachCliTest {
  private static final List<String> VALUES =
      PlantedSecrets.all().stream().map(PlantedSecrets::value).toList();

  /** The uid and gid the service runs as: not the capture's (root). */
  private static final String NOBODY = "65534";

  @TempDir Path dir;

  @Test
  void aRunningJvmOfAnotherUserStreamsItsEventsIntoTheCaptureWhileItRuns() throws Exception {
    CliProcess.assumeKernelCapture();
    int n = VALUES.size();
    Path work = serviceFolder();
    Path db = dir.resolve("attached.duckdb");
    Set<Path> chunkDirsBefore = chunkDirs();
    Process service = startServiceAsNobody(work);
    LinkedBlockingQueue<String> serviceOut = lines(service);
    String captureOut;
    String captureErr;
    try (OutputStream serviceIn = service.getOutputStream()) {
      awaitLine(serviceOut, "ready", service);
      try (CliProcess cli =
          CliProcess.start(
              dir,
              "capture",
              "--db",
              db.toString(),
              "--keys",
              dir.resolve("keys").toString(),
              "--duration",
              "4s",
              "--pid",
              Long.toString(service.pid()),
              "--jfr")) {
        cli.awaitErrLine(l -> l.contains("probes attached"), "that probes are attached");
        serviceIn.write("go\n".getBytes(StandardCharsets.UTF_8));
        serviceIn.flush();
        awaitLine(serviceOut, "done " + n, service);
        assertEquals(0, cli.awaitExit(), cli.err());
        captureOut = cli.out();
        captureErr = cli.err();
      }
      assertTrue(service.isAlive(), "the attached JVM runs on after the capture");
    } finally {
      service.destroy();
      service.waitFor(30, TimeUnit.SECONDS);
    }
    System.out.println("CaptureJfrAttachCliTest: capture stderr:\n" + captureErr);
    assertTrue(captureErr.contains("attached to the JVM of process"), captureErr);
    assertTrue(captureErr.contains("streamed from process"), captureErr);

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      Map<String, Long> byType = new TreeMap<>();
      try (ResultSet rs = s.executeQuery("SELECT type, count(*) FROM jvm_events GROUP BY type")) {
        while (rs.next()) {
          byType.put(rs.getString(1), rs.getLong(2));
        }
      }
      System.out.println("CaptureJfrAttachCliTest: jvm_events by type " + byType);
      assertEquals(
          n,
          count(
              s,
              "SELECT count(*) FROM jvm_events WHERE type = 'jdk.JavaExceptionThrow'"
                  + " AND object_class = 'java.lang.IllegalStateException'"
                  + " AND message LIKE 'lookup failed for %'"),
          "one thrown exception per planted value: " + byType);
      assertEquals(
          n,
          count(
              s,
              "SELECT count(*) FROM jvm_events WHERE type = 'jdk.SocketWrite'"
                  + " AND bytes BETWEEN 1001 AND "
                  + (1000 + n)),
          "one sized socket write per planted value: " + byType);
      assertEquals(
          n,
          count(
              s,
              "SELECT count(DISTINCT bytes) FROM jvm_events WHERE type = 'jdk.SocketWrite'"
                  + " AND bytes BETWEEN 1001 AND "
                  + (1000 + n)));
      assertEquals(
          n,
          count(
              s,
              "SELECT count(*) FROM jvm_events WHERE type = 'jdk.ThreadPark'"
                  + " AND object_class = 'AttachService$Pause'"),
          "one park per planted value: " + byType);
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM jvm_events j JOIN captures c USING (capture_id)"
                  + " WHERE j.time < c.started_at OR j.time > c.ended_at"),
          "every JVM event lies in the capture's window");
      assertEquals(
          1,
          count(
              s,
              "SELECT count(*) FROM captures WHERE list_contains(probes, 'jfr')"
                  + " AND ended_at IS NOT NULL"));
      assertEquals(1, count(s, "SELECT count(DISTINCT process_token) FROM jvm_events"));
      assertEquals(
          1,
          count(
              s,
              "SELECT count(*) FROM processes WHERE token IN"
                  + " (SELECT process_token FROM jvm_events)"),
          "the JVM's process row is stored once, whichever side saw it first");
      assertStatsBalanceAndMatchTheRows(s);
    }

    StringBuilder everything = new StringBuilder(StoreDump.all(db));
    everything.append(captureOut).append(captureErr);
    List<String> leaks = PlantedSecrets.foundIn(everything.toString());
    System.out.printf(
        "CaptureJfrAttachCliTest: %d planted values (%d forms) searched in %d stored rows and the"
            + " CLI output: %d found%n",
        n, PlantedSecrets.formCount(), everything.toString().lines().count(), leaks.size());
    assertEquals(List.of(), leaks);
    assertEquals(chunkDirsBefore, chunkDirs(), "the streamed raw chunks are removed");
  }

  @Test
  void aProcessThatRunsNoJvmIsRefusedByNameAndNothingIsCreated() throws Exception {
    CliProcess.assumeKernelCapture();
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      Path db = dir.resolve("refused.duckdb");
      CliRun run =
          CliRun.of(
              "capture",
              "--db",
              db.toString(),
              "--keys",
              dir.resolve("keys").toString(),
              "--pid",
              Long.toString(sleeper.pid()),
              "--jfr");
      assertEquals(2, run.exit(), run.err());
      assertTrue(run.err().contains("runs no JVM"), run.err());
      assertTrue(Files.notExists(db), "no database for a refused capture");
      assertTrue(sleeper.isAlive(), "the process was not signalled");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void jfrWithoutAPidOrACommandIsRefused() {
    Path db = dir.resolve("none.duckdb");
    CliRun run = CliRun.of("capture", "--db", db.toString(), "--jfr");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("--jfr needs a JVM: --pid PID"), run.err());
    assertTrue(Files.notExists(db));
  }

  private static void assertStatsBalanceAndMatchTheRows(Statement s) throws Exception {
    int rows = 0;
    try (ResultSet rs =
        s.executeQuery(
            "SELECT t.type, t.produced, t.stored, t.dropped,"
                + " (SELECT count(*) FROM jvm_events j WHERE j.type = t.type)"
                + " FROM capture_stats t WHERE t.type LIKE 'jdk.%' ORDER BY t.type")) {
      while (rs.next()) {
        rows++;
        String type = rs.getString(1);
        System.out.printf(
            "CaptureJfrAttachCliTest: capture_stats %s produced %d stored %d dropped %d, rows %d%n",
            type, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        assertEquals(rs.getLong(2), rs.getLong(3) + rs.getLong(4), type);
        assertEquals(rs.getLong(5), rs.getLong(3), type + ": stored is what jvm_events holds");
      }
    }
    assertTrue(rows >= 3, "capture_stats has the JVM types");
  }

  /** A folder the service (as nobody) can read its source from and write its files into. */
  private Path serviceFolder() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path work = Files.createDirectories(dir.resolve("service"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.copy(
        Path.of("src/test/resources/jvm/AttachService.java").toAbsolutePath(),
        work.resolve("AttachService.java"));
    return work;
  }

  /**
   * The service as uid and gid 65534, with the planted values also in a system property and its
   * environment (which the recorder would carry as events of types tracefix never asks for).
   */
  private static Process startServiceAsNobody(Path work) throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    command.add(RecordedService.java());
    command.add("-Ddb.password=password=" + PlantedSecrets.PASSWORD);
    command.add(work.resolve("AttachService.java").toString());
    command.add(work.toString());
    command.addAll(VALUES);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().put("SERVICE_SECRETS", String.join(" ", VALUES));
    return builder.start();
  }

  private static LinkedBlockingQueue<String> lines(Process process) {
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (Exception ended) {
                // the process ended
              }
            });
    return lines;
  }

  private static void awaitLine(LinkedBlockingQueue<String> lines, String wanted, Process p)
      throws InterruptedException {
    List<String> seen = new ArrayList<>();
    while (true) {
      String line = lines.poll(60, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError(
            "the service never printed '" + wanted + "' (alive " + p.isAlive() + "): " + seen);
      }
      if (line.equals(wanted)) {
        return;
      }
      seen.add(line);
    }
  }

  /** The private folders the capture keeps a JVM's raw chunks in while it streams. */
  private static Set<Path> chunkDirs() throws Exception {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("tracefix-jfr-"))
          .collect(Collectors.toSet());
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
