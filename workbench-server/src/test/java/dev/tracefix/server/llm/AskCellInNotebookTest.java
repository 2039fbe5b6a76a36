package dev.tracefix.server.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.kernel.java.JavaKernel;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.llm.LoopbackModelServer.Protocol;
import dev.tracefix.server.llm.LoopbackModelServer.Stall;
import dev.tracefix.server.llm.LoopbackModelServer.Text;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.report.ReportFormat;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An ask cell as the workbench runs it: in a notebook session whose database is in memory with the
 * store attached read-only. Its model requests are recorded where they outlive the session (the
 * audit store beside the store) and a report made later counts them; the notebook's interrupt
 * aborts a request the model never answers, within the bound a Java cell's stop has.
 */
class AskCellInNotebookTest {
  /** A stop takes effect within this: the Java kernel's grace, then its kill and restart. */
  static final long STOP_BOUND_MS = 2 * JavaKernel.STOP_GRACE.toMillis();

  @TempDir Path dir;

  private Path store;
  private Path notebooks;

  private FileNotebookWorkspace workspace(
      LoopbackModelServer server, Map<String, String> settingsFile) throws Exception {
    store = dir.resolve("store.duckdb");
    if (!Files.exists(store)) {
      try (EventStore s = EventStore.open(store)) {
        s.importParquet(GitFixtures.projectRoot().resolve("examples/recorded-capture"));
      }
      notebooks = Files.createDirectories(dir.resolve("notebooks"));
      Files.writeString(
          notebooks.resolve("why.md"),
          """
          # Why

          ```ask name=why
          question: why does inventory fail to answer checkout? (asked by alice.smith@example.com)
          ```
          """);
    }
    StringBuilder yaml = new StringBuilder();
    settingsFile.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(notebooks.resolve(LlmSettings.FILE_NAME), yaml.toString());
    Map<String, String> env =
        server == null
            ? Map.of(LlmSettings.ENV_PROVIDER, "none")
            : Map.of(
                LlmSettings.ENV_PROVIDER,
                server.protocolWord(),
                LlmSettings.ENV_BASE_URL,
                server.baseUrl(),
                LlmSettings.ENV_MODEL,
                "loopback-model",
                LlmSettings.ENV_API_KEY,
                "sk-test-0123456789abcdef");
    Path exports = Files.createDirectories(dir.resolve("exports"));
    return new FileNotebookWorkspace(
        notebooks,
        NotebookDatabases.locked(store, new SqlLock(List.of(exports))),
        dir,
        Map.of(
            "ask",
            new HypothesisCellRunner(
                () -> DemoIncident.KEY, PolicyLoader::loadDefault, env, AuditStore.beside(store))));
  }

  private List<String> auditRows() throws Exception {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    List<String> rows = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:duckdb:" + AuditStore.beside(store).file(), readOnly);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT request_sha256, request_bytes, decision, outcome FROM llm_audit ORDER BY sent_at")) {
      while (rs.next()) {
        rows.add(
            rs.getString(1) + "/" + rs.getLong(2) + "/" + rs.getString(3) + "/" + rs.getString(4));
      }
    }
    return rows;
  }

  private boolean storeHasAuditTable() throws Exception {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store, readOnly);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'llm_audit'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  @Test
  void requestsAreAuditedBesideTheStoreAndAReportAfterARestartCountsThem() throws Exception {
    String answer =
        """
        {"hypotheses": [{"statement": "inventory's replies fail with EPIPE",
          "check_sql": "SELECT count(*) AS n FROM events WHERE errno_name = 'EPIPE' HAVING count(*) > 0"}]}
        """;
    try (LoopbackModelServer server =
        new LoopbackModelServer(Protocol.OPENAI, List.of(new Text(answer)))) {
      try (FileNotebookWorkspace workspace = workspace(server, Map.of())) {
        CellOutput out = workspace.runCell("why.md", "why");
        CellOutput.Hypotheses h =
            assertInstanceOf(CellOutput.Hypotheses.class, out, String.valueOf(out));
        assertEquals("supported", h.items().getFirst().check().verdict());
      }
      // The session and its in-memory database are gone; the rows are not.
      assertEquals(1, server.received().size());
      byte[] body = server.received().getFirst().body();
      List<String> rows = auditRows();
      System.out.println("audit rows after the session closed: " + rows);
      assertEquals(List.of(Exchange.sha256(body) + "/" + body.length + "/redacted/ok"), rows);
      assertFalse(storeHasAuditTable(), "the store stays as the capture wrote it");
      assertFalse(
          new String(body, java.nio.charset.StandardCharsets.UTF_8)
              .contains("alice.smith@example.com"));

      // A new workspace (a restarted server) reports the request in its privacy attestation.
      try (FileNotebookWorkspace restarted = workspace(null, Map.of())) {
        NotebookDatabases databases =
            NotebookDatabases.locked(store, new SqlLock(List.of(dir.resolve("exports"))));
        String md =
            new NotebookReports(
                    restarted, databases::connect, AuditStore.beside(store), () -> DemoIncident.KEY)
                .render("why.md", ReportFormat.MARKDOWN);
        String line =
            md.lines().filter(l -> l.contains("passed the privacy gateway")).findFirst().orElse(md);
        System.out.println("report: " + line);
        assertTrue(
            line.contains(
                "1 request(s) to a model passed the privacy gateway (llm_audit): 0 sent unchanged,"
                    + " 1 sent with recognized values replaced, 0 blocked"),
            line);
      }
    }
  }

  @ParameterizedTest(name = "{0}, stream={1}")
  @CsvSource({
    "OPENAI, false",
    "OPENAI, true",
    "ANTHROPIC, false",
    "ANTHROPIC, true",
    "OLLAMA, true"
  })
  void theNotebooksInterruptAbortsAModelRequestThatNeverAnswers(Protocol protocol, boolean stream)
      throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (LoopbackModelServer server = new LoopbackModelServer(protocol, List.of(new Stall(never)));
        FileNotebookWorkspace workspace =
            workspace(server, Map.of("stream", Boolean.toString(stream), "timeout", "300s"))) {
      CompletableFuture<CellOutput> run =
          CompletableFuture.supplyAsync(() -> workspace.runCell("why.md", "why"));
      for (int i = 0; i < 600 && server.received().isEmpty(); i++) {
        Thread.sleep(50);
      }
      assertEquals(1, server.received().size(), "the request never reached the model");
      long started = System.nanoTime();
      workspace.cancel("why.md");
      CellOutput out = run.get(STOP_BOUND_MS, TimeUnit.MILLISECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      System.out.printf(
          "%s stream=%s: stopped %d ms after the interrupt (bound %d ms): %s%n",
          protocol, stream, millis, STOP_BOUND_MS, out);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out);
      assertEquals("interrupted", error.errorKind(), error.message());
      assertEquals(1, never.getCount(), "the model had not answered");
      byte[] body = server.received().getFirst().body();
      assertEquals(
          List.of(Exchange.sha256(body) + "/" + body.length + "/redacted/cancelled"), auditRows());

      // The notebook keeps working: the same cell runs again (now the script is exhausted: an
      // error, not a hang).
      CellOutput again = workspace.runCell("why.md", "why");
      assertInstanceOf(CellOutput.Error.class, again);
      assertEquals("llm", ((CellOutput.Error) again).errorKind(), again.toString());
    } finally {
      never.countDown();
    }
  }
}
