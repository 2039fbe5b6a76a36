package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;

  private static CliRun execute(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aMissingNotebookIsAUserErrorThatNamesThePath() {
    Path missing = dir.resolve("absent.md");
    CliRun run =
        execute(
            "report",
            missing.toString(),
            "--db",
            dir.resolve("x.duckdb").toString(),
            "--out",
            dir.resolve("r.md").toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("tracefix report: no notebook at " + missing), run.err());
    assertFalse(Files.exists(dir.resolve("r.md")));
  }

  @Test
  void anOutputFileWithoutAKnownExtensionIsRefusedBeforeRunning() throws Exception {
    Path notebook = Files.writeString(dir.resolve("nb.md"), "# t\n");
    CliRun run =
        execute(
            "report",
            notebook.toString(),
            "--db",
            dir.resolve("x.duckdb").toString(),
            "--out",
            dir.resolve("r.pdf").toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("use md or html"), run.err());
  }

  @Test
  void writesARedactedHtmlReportOfAStoreWithTheCaptureAttestation() throws Exception {
    Path db = dir.resolve("store.duckdb");
    String hash = "sha256:4f1e0c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f";
    try (EventStore store = EventStore.open(db);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO captures (capture_id, host, started_at, ended_at, probes, event_count,"
              + " drop_count, key_id, policy_hash, key_ids, attestation) VALUES ('c1', 'h',"
              // An hour ago: inside the default policy's retention (captures 90 days).
              + " now()::TIMESTAMP - INTERVAL 61 MINUTE, now()::TIMESTAMP - INTERVAL 60 MINUTE,"
              + " ['syscalls:sys_exit_sendto'], 0, 0, 'k_0123456789ab', '"
              + hash
              + "',"
              + " ['k_0123456789ab'], '{\"policyName\":\"default\",\"policyHash\":\""
              + hash
              + "\",\"keyIds\":[\"k_0123456789ab\"],\"fieldActions\":{},\"recognizerHits\":{},"
              + "\"noPayloadBytesCaptured\":true}')");
    }
    Path notebook =
        Files.writeString(
            dir.resolve("incident.md"),
            "# Incident\n\nPaged by carol@example.net.\n\n```sql\n"
                + "SELECT capture_id, '<b>' || host || '</b>' AS host FROM captures\n```\n");
    Path out = dir.resolve("reports/incident.html");
    CliRun run =
        execute(
            "report",
            notebook.toString(),
            "--db",
            db.toString(),
            "--out",
            out.toString(),
            "--keys",
            dir.resolve("keys").toString());
    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(
        run.out().contains("report written to " + out + " (html, 1 values redacted)"), run.out());
    String html = Files.readString(out);
    assertFalse(html.contains("carol@example.net"), html);
    assertTrue(html.contains("&lt;b&gt;h&lt;/b&gt;"), html);
    assertTrue(html.contains(hash), html);
    assertTrue(html.contains("No payload bytes were captured."), html);
  }
}
