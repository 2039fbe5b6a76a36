package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.llm.LoopbackModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmCheckCommandTest {
  @TempDir Path dir;

  @BeforeEach
  void keysInATempFolder() {
    System.setProperty("tracefix.keys", dir.resolve("keys").toString());
  }

  @AfterEach
  void forgetKeys() {
    System.clearProperty("tracefix.keys");
  }

  @Test
  void checkSaysWhatIsConfiguredAndMakesOneTinyRequestThroughTheGateway() throws Exception {
    try (LoopbackModelServer server =
        new LoopbackModelServer(
            LoopbackModelServer.Protocol.OPENAI, List.of(new LoopbackModelServer.Text("ok")))) {
      Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
      Files.writeString(
          notebooks.resolve("llm.yaml"),
          "provider: openai\nbase_url: " + server.baseUrl() + "\nmodel: loopback-model\n");
      Path store = dir.resolve("store.duckdb");
      dev.tracefix.sink.EventStore.open(store).close();
      CliRun run =
          CliRun.of("llm", "check", "--notebooks", notebooks.toString(), "--db", store.toString());
      System.out.println(run.out() + run.err());
      assertEquals(0, run.exit(), run.err());
      assertTrue(
          run.out().contains("provider openai, model loopback-model at " + server.baseUrl()),
          run.out());
      assertTrue(run.out().contains("answer") && run.out().contains(": ok"), run.out());
      assertEquals(1, server.received().size());
      // Recorded where the workbench records its requests, so reports count it too.
      Path audit = dir.resolve("store.llm-audit.duckdb");
      assertTrue(run.out().contains("recorded in llm_audit (" + audit + ")"), run.out());
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + audit);
          java.sql.ResultSet rs =
              c.createStatement().executeQuery("SELECT purpose, request_bytes FROM llm_audit")) {
        assertTrue(rs.next());
        assertEquals("check", rs.getString(1));
        assertEquals(server.received().getFirst().body().length, rs.getLong(2));
      }
    }
  }

  @Test
  void withNothingConfiguredCheckSaysTheAnalystAnswers() throws Exception {
    Path notebooks = Files.createDirectories(dir.resolve("empty"));
    CliRun run = CliRun.of("llm", "check", "--notebooks", notebooks.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("no model configured"), run.out());
  }

  @Test
  void aProviderThatDoesNotAnswerFailsTheCheck() throws Exception {
    Path notebooks = Files.createDirectories(dir.resolve("nb"));
    Files.writeString(
        notebooks.resolve("llm.yaml"),
        "provider: ollama\nbase_url: http://127.0.0.1:9\nmodel: m\ntimeout: 2s\n");
    CliRun run = CliRun.of("llm", "check", "--notebooks", notebooks.toString());
    System.out.println(run.out());
    assertEquals(1, run.exit());
    assertTrue(run.out().contains("llm"), run.out());
  }
}
