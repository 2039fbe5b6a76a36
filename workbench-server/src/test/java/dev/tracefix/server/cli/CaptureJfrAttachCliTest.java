package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.jvm.JvmAttach;
import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import dev.tracefix.server.capture.AttachServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import jdk.management.jfr.FlightRecorderMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture --jfr --pid PID}: a JVM that already runs, as another user, is attached
 * to and its flight recorder streamed into the capture while it runs. The service (jvm/
 * AttachService.java) throws, writes to a socket and parks once per planted value, on a thread
 * named after the value, only once the capture's probes are attached; then it makes a burst of
 * refused connects that fires a {@code jfr} trigger, and parks briefly on while the trigger is on
 * and after it went off; then the capture is stopped with SIGTERM. One service and one capture
 * serve every test of the attached JVM.
 */
class CaptureJfrAttachCliTest {
  private static final List<String> VALUES =
      PlantedSecrets.all().stream().map(PlantedSecrets::value).toList();

  /** The uid and gid the service runs as: not the capture's (root). */
  private static final String NOBODY = "65534";

  private static final String TRIGGER = "ECONNREFUSED > 5/s -> jfr for 1s";

  @TempDir static Path shared;
  @TempDir Path dir;

  /** What the one capture of the attached service left. */
  private record Attached(
      Path db,
      String out,
      String err,
      boolean chunksWhileRunning,
      boolean chunksRemoved,
      List<String> streamsWhileRunning,
      List<String> streamsAfter) {}

  private static Attached attached;

  /** The capture of the attached service, made by the first test that needs it. */
  private static synchronized Attached attached() throws Exception {
    CliProcess.assumeKernelCapture();
    if (attached == null) {
      attached = captureTheAttachedService(shared);
    }
    return attached;
  }

  private static Attached captureTheAttachedService(Path dir) throws Exception {
    int n = VALUES.size();
    long t0 = System.nanoTime();
    Path db = dir.resolve("attached.duckdb");
    // The capture's own temporary folder, so the check for leftovers sees its files only.
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    String out;
    String err;
    boolean chunksWhileRunning;
    List<String> streamsWhileRunning;
    List<String> streamsAfter;
    try (AttachServiceProcess service = startServiceAsNobody(AttachServiceProcess.folder(dir))) {
      service.awaitLine("ready");
      long ready = System.nanoTime();
      try (CliProcess cli =
          CliProcess.start(
              dir,
              Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp),
              "capture",
              "--db",
              db.toString(),
              "--keys",
              dir.resolve("keys").toString(),
              "--duration",
              "60s",
              "--trigger",
              TRIGGER,
              "--pid",
              Long.toString(service.pid()),
              "--jfr")) {
        cli.awaitErrLine(l -> l.contains("probes attached"), "that probes are attached");
        chunksWhileRunning = !chunkDirs(tmp).isEmpty();
        streamsWhileRunning = streamRecordings(service.pid());
        long attachedAt = System.nanoTime();
        service.tell("go");
        service.awaitLine("done " + n);
        service.tell("burst");
        service.awaitLine("burst done");
        long worked = System.nanoTime();
        // Stopped as an operator stops it: the JVM's last events are stored on the way out too.
        assertTrue(cli.process.toHandle().destroy(), "SIGTERM sent");
        assertEquals(143, cli.awaitExit(), cli.err());
        System.out.printf(
            "CaptureJfrAttachCliTest: service ready after %d ms, probes attached %d ms later,"
                + " service done %d ms later, capture stored %d ms later%n",
            (ready - t0) / 1_000_000,
            (attachedAt - ready) / 1_000_000,
            (worked - attachedAt) / 1_000_000,
            (System.nanoTime() - worked) / 1_000_000);
        out = cli.out();
        err = cli.err();
      }
      assertTrue(service.isAlive(), "the attached JVM runs on after the capture");
      streamsAfter = streamRecordings(service.pid());
    }
    System.out.println("CaptureJfrAttachCliTest: capture stdout:\n" + out + "stderr:\n" + err);
    return new Attached(
        db,
        out,
        err,
        chunksWhileRunning,
        chunkDirs(tmp).isEmpty(),
        streamsWhileRunning,
        streamsAfter);
  }

  @Test
  void theServicesEventsAreStoredByTypeAsTheyHappenedInsideTheCaptureWindow() throws Exception {
    Attached run = attached();
    int n = VALUES.size();
    assertTrue(run.err().contains("attached to the JVM of process"), run.err());
    assertTrue(run.err().contains("streamed from process"), run.err());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.db());
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
      // On the workers' threads: the JVM's management connection writes too, in sizes of its own.
      String workerWrites =
          " FROM jvm_events WHERE type = 'jdk.SocketWrite' AND bytes BETWEEN 1001 AND "
              + (1000 + n)
              + " AND thread_token IN (SELECT thread_token FROM jvm_events"
              + " WHERE type = 'jdk.JavaExceptionThrow' AND message LIKE 'lookup failed for %')";
      assertEquals(
          n,
          count(s, "SELECT count(*)" + workerWrites),
          "one sized socket write per planted value, on its thread: " + byType);
      assertEquals(n, count(s, "SELECT count(DISTINCT bytes)" + workerWrites));
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
    }
  }

  @Test
  void theJvmsRecordingIsBoundedWhileItRunsAndGoneAfterTheCapture() throws Exception {
    Attached run = attached();
    System.out.println(
        "CaptureJfrAttachCliTest: stream recordings in the JVM while capturing "
            + run.streamsWhileRunning()
            + ", after "
            + run.streamsAfter());
    assertEquals(List.of("RUNNING maxAge=2 m"), run.streamsWhileRunning());
    assertEquals(List.of(), run.streamsAfter());
  }

  @Test
  void captureStatsCountEachJvmTypeAsProducedStoredAndDropped() throws Exception {
    Attached run = attached();
    int rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.db());
        Statement s = c.createStatement();
        ResultSet rs =
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
    assertTrue(run.out().contains("jdk.SocketWrite: produced"), run.out());
  }

  @Test
  void theCapturesAttestationCountsWhatTheJvmsPrivacyRulesDid() throws Exception {
    Attached run = attached();
    String attestation;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.db());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT attestation FROM captures")) {
      assertTrue(rs.next());
      attestation = rs.getString(1);
    }
    System.out.println("CaptureJfrAttachCliTest: attestation " + attestation);
    // The kernel engine's rules and the JVM engine's, in the one row of the capture.
    assertTrue(attestation.contains("\"jdk.JavaExceptionThrow."), attestation);
    assertTrue(attestation.contains("\"jdk.SocketWrite."), attestation);
    assertTrue(attestation.contains("\"process."), attestation);
  }

  @Test
  void noPlantedValueReachesTheStoreOrTheOutputAndTheRawChunksAreRemoved() throws Exception {
    Attached run = attached();
    StringBuilder everything = new StringBuilder(StoredText.ofStore(run.db()));
    everything.append(run.out()).append(run.err());
    List<String> leaks = PlantedSecrets.foundIn(everything.toString());
    System.out.printf(
        "CaptureJfrAttachCliTest: %d planted values (%d forms) searched in %d stored rows and the"
            + " CLI output: %d found%n",
        VALUES.size(),
        PlantedSecrets.formCount(),
        everything.toString().lines().count(),
        leaks.size());
    assertEquals(List.of(), leaks);
    assertTrue(run.chunksWhileRunning(), "the stream keeps its raw chunks in the capture's tmp");
    assertTrue(run.chunksRemoved(), "the streamed raw chunks are removed");
  }

  @Test
  void aJfrTriggerKeepsShortParksOnlyWhileItIsOn() throws Exception {
    Attached run = attached();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.db());
        Statement s = c.createStatement()) {
      assertEquals(
          1,
          count(
              s,
              "SELECT count(*) FROM trigger_firings WHERE probes = ['jfr']"
                  + " AND ended_at > fired_at"),
          "the burst fired the rule once and its jfr action did not fail");
      String shortBlips =
          "FROM jvm_events WHERE type = 'jdk.ThreadPark' AND object_class = 'AttachService$Blip'"
              + " AND duration_ns < 1000000";
      long inside =
          count(
              s,
              "SELECT count(*) "
                  + shortBlips
                  + " AND time BETWEEN (SELECT fired_at FROM trigger_firings)"
                  + " AND (SELECT ended_at FROM trigger_firings)");
      long all = count(s, "SELECT count(*) " + shortBlips);
      System.out.printf(
          "CaptureJfrAttachCliTest: parks under 1 ms recorded: %d while the trigger was on, %d"
              + " in all%n",
          inside, all);
      assertTrue(inside > 0, "short parks are recorded while the trigger is on");
      assertEquals(inside, all, "and only then: the usual 1 ms threshold is back after it");
    }
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
  void aJfrTriggerWithoutAnAttachedJvmIsRefused() {
    Path db = dir.resolve("none.duckdb");
    CliRun run =
        CliRun.of("capture", "--db", db.toString(), "--trigger", TRIGGER, "--", "sleep", "1");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("jfr action switches the recording of an attached JVM"));
    assertTrue(Files.notExists(db));
  }

  @Test
  void jfrWithoutAPidOrACommandIsRefused() {
    Path db = dir.resolve("none.duckdb");
    CliRun run = CliRun.of("capture", "--db", db.toString(), "--jfr");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("--jfr needs a JVM: --pid PID"), run.err());
    assertTrue(Files.notExists(db));
  }

  /**
   * The service as uid and gid 65534, with the planted values also in a system property and its
   * environment (which the recorder would carry as events of types tracefix never asks for).
   */
  private static AttachServiceProcess startServiceAsNobody(Path work) throws Exception {
    return AttachServiceProcess.start(
        work,
        AttachServiceProcess.asUser(NOBODY),
        List.of("-Ddb.password=password=" + PlantedSecrets.PASSWORD),
        Map.of("SERVICE_SECRETS", String.join(" ", VALUES)),
        VALUES);
  }

  /** The JVM's recordings made for a stream: state and kept age of each. */
  private static List<String> streamRecordings(long pid) throws Exception {
    try (JMXConnector connector = JvmAttach.connect((int) pid)) {
      FlightRecorderMXBean recorder =
          JMX.newMXBeanProxy(
              connector.getMBeanServerConnection(),
              new ObjectName(FlightRecorderMXBean.MXBEAN_NAME),
              FlightRecorderMXBean.class);
      return recorder.getRecordings().stream()
          .filter(r -> r.getName().startsWith("Remote Recording Stream"))
          .map(
              r ->
                  r.getState() + " maxAge=" + recorder.getRecordingOptions(r.getId()).get("maxAge"))
          .toList();
    }
  }

  /** The private folders the capture keeps a JVM's raw chunks in while it streams. */
  private static Set<Path> chunkDirs(Path tmp) throws Exception {
    try (var files = Files.list(tmp)) {
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
