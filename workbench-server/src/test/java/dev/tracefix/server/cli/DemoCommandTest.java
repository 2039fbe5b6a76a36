package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.Capture;
import dev.tracefix.server.demo.DemoSetup;
import dev.tracefix.server.notebook.NbformatSchema;
import dev.tracefix.sink.EventStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, headless: {@code tracefix demo --check} must close the loop on the sample service
 * (live capture where eBPF works, the recorded capture elsewhere) and name the timeout commit.
 */
class DemoCommandTest {

  @Test
  void demoCheckClosesTheLoopOnALiveCaptureAndNamesTheTimeoutCommit(@TempDir Path home)
      throws Exception {
    boolean live = Capture.unavailableReason().isEmpty();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(live, "CI must capture live: " + Capture.unavailableReason().orElse(""));
    }
    assumeTrue(live, () -> "eBPF capture unavailable: " + Capture.unavailableReason().orElse(""));
    // As a user runs it, in its own JVM: the sample service writes to the process's real stdout,
    // which an in-process run would not see.
    Outcome outcome;
    String err;
    try (CliProcess demo = CliProcess.start(home, "demo", "--check", "--load", "6s")) {
      int exit = demo.awaitExit();
      outcome = new Outcome(exit, demo.out());
      err = demo.err();
    }
    assertLoopClosed(outcome);
    assertEquals(
        1, outcome.summary().lines().count(), "only the summary line: " + outcome.summary());
    Path sampleLog = ProjectPaths.home().resolve(DemoSetup.WORK_DIR).resolve("sample-service.log");
    assertTrue(err.contains("the sample service's output goes to " + sampleLog), err);
    String logged = java.nio.file.Files.readString(sampleLog);
    System.out.println("DemoCommandTest sample-service.log:\n" + logged);
    assertTrue(logged.contains("inventory listening on"), logged);
    assertCaptureCarriesItsAttestation();
  }

  /** The live capture's row names its policy and keys, with the privacy engine's attestation. */
  private static void assertCaptureCarriesItsAttestation() throws Exception {
    Path db = ProjectPaths.home().resolve(DemoSetup.WORK_DIR).resolve("demo.duckdb");
    try (EventStore store = EventStore.open(db);
        Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT policy_hash, key_ids, attestation FROM captures")) {
      assertTrue(r.next(), "no captures row");
      assertTrue(r.getString(1).startsWith("sha256:"), r.getString(1));
      assertTrue(r.getString(2).contains("k_"), r.getString(2));
      String attestation = r.getString(3);
      assertTrue(attestation.contains("\"noPayloadBytesCaptured\":true"), attestation);
      assertTrue(attestation.contains(r.getString(1)), attestation);
    }
  }

  @Test
  void demoCheckClosesTheLoopOnTheRecordedCapture(@TempDir Path dir) throws Exception {
    assertLoopClosed(runDemo("demo", "--check", "--recorded"));
    // The same notebook, headless with a parameter, writes an executed .ipynb that validates.
    Path home = ProjectPaths.home();
    Path ipynb = dir.resolve("executed.ipynb");
    Outcome run =
        runDemo(
            "run", home.resolve("notebooks/postmortem-timeout.md").toString(),
            "-p", "window=30s",
            "--db", home.resolve(DemoSetup.WORK_DIR).resolve("demo.duckdb").toString(),
            "--ipynb", ipynb.toString());
    assertEquals(0, run.exit(), run.summary());
    assertTrue(run.summary().contains("[ok] sql error_rate"), run.summary());
    JsonNode executed = new ObjectMapper().readTree(ipynb.toFile());
    assertEquals(List.of(), NbformatSchema.violations(executed));
    assertTrue(executed.toString().contains("\"bucket\""), "error_rate's table is in the .ipynb");
  }

  private record Outcome(int exit, String summary) {}

  private static Outcome runDemo(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.commandLine().execute(args);
      return new Outcome(exit, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
    }
  }

  private static void assertLoopClosed(Outcome outcome) {
    int exit = outcome.exit();
    String summary = outcome.summary();
    assertEquals(0, exit, summary);
    assertTrue(summary.contains("client: tighten inventory timeout to fail fast"), summary);
    assertTrue(summary.contains("patch makes the repro pass"), summary);
    Matcher events = Pattern.compile("(\\d+) events captured, (\\d+) drops").matcher(summary);
    assertTrue(events.find(), summary);
    assertTrue(Long.parseLong(events.group(1)) > 0, "no events: " + summary);
  }
}
