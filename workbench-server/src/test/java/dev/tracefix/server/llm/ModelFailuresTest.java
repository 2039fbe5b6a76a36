package dev.tracefix.server.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.tracefix.server.llm.LoopbackModelServer.Failure;
import dev.tracefix.server.llm.LoopbackModelServer.Protocol;
import dev.tracefix.server.llm.LoopbackModelServer.Reply;
import dev.tracefix.server.llm.LoopbackModelServer.Slow;
import dev.tracefix.server.llm.LoopbackModelServer.Text;
import dev.tracefix.server.llm.LoopbackModelServer.ToolCalls;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes wrong on the way to a model becomes a cell error with a clear message, the notebook
 * keeps working, the key never shows, and the gateway holds: a blocked request never arrives.
 */
class ModelFailuresTest {
  static final String KEY = "sk-live-0123456789abcdefSECRET";

  @TempDir Path dir;

  private CellOutput ask(
      DemoIncident incident,
      LoopbackModelServer server,
      Map<String, String> body,
      String settingsFile)
      throws Exception {
    if (settingsFile != null) {
      Files.writeString(incident.project.resolve("notebooks/llm.yaml"), settingsFile);
    }
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                LlmSettings.ENV_PROVIDER,
                "openai",
                LlmSettings.ENV_BASE_URL,
                server.baseUrl(),
                LlmSettings.ENV_MODEL,
                "loopback-model",
                LlmSettings.ENV_API_KEY,
                KEY));
    return incident.runner(env).run(body, incident.context());
  }

  private static List<String> decisions(DemoIncident incident) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection audit = incident.auditFile();
        Statement s = audit.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT decision, request_sha256 IS NULL AS no_hash, outcome FROM llm_audit ORDER BY sent_at, decision")) {
      while (rs.next()) {
        out.add(rs.getString(1) + (rs.getBoolean(2) ? "/no-hash" : "") + "/" + rs.getString(3));
      }
    }
    return out;
  }

  @Test
  void rowsCarryingAFieldThePolicyDropsBlockTheNextRequestAndItNeverArrives() throws Exception {
    try (DemoIncident incident = new DemoIncident(dir);
        LoopbackModelServer server =
            new LoopbackModelServer(
                Protocol.OPENAI,
                List.of(
                    new ToolCalls(
                        List.of(
                            Map.entry(
                                "run_sql",
                                "{\"query\": \"SELECT 'uprobe' AS type, 140737488355328 AS return_value\"}"))),
                    new Text("{\"hypotheses\": []}")))) {
      CellOutput out =
          ask(incident, server, Map.of("question", "what does the probe return?"), null);
      CellOutput.Error e = assertInstanceOf(CellOutput.Error.class, out);
      System.out.println(e.message());
      assertEquals("llm-blocked", e.errorKind());
      assertTrue(e.message().contains("return_value"), e.message());
      assertEquals(1, server.received().size(), "only the first request went out");
      assertFalse(server.received().getFirst().text().contains("140737488355328"));
      assertEquals(
          List.of("blocked/no-hash/blocked", "sent/ok"),
          decisions(incident).stream().sorted().toList());
    }
  }

  @Test
  void aTypeTheSettingsBlockStopsTheRequestBeforeAnythingIsSent() throws Exception {
    try (DemoIncident incident = new DemoIncident(dir);
        LoopbackModelServer server =
            new LoopbackModelServer(Protocol.OPENAI, List.of(new Text("{}")))) {
      CellOutput out =
          ask(
              incident,
              server,
              Map.of("question", "is alice.smith@example.com affected?"),
              "block: [EMAIL]\n");
      CellOutput.Error e = assertInstanceOf(CellOutput.Error.class, out);
      assertEquals("llm-blocked", e.errorKind());
      assertTrue(e.message().contains("EMAIL"), e.message());
      assertEquals(0, server.received().size());
      assertEquals(List.of("blocked/no-hash/blocked"), decisions(incident));
    }
  }

  @Test
  void aRequestMadeAroundTheGatewayIsRefusedByTheHttpClient() throws Exception {
    try (LoopbackModelServer server =
        new LoopbackModelServer(Protocol.OPENAI, List.of(new Text("hi")))) {
      LlmSettings settings =
          LlmSettings.load(
              null,
              Map.of(
                  LlmSettings.ENV_PROVIDER,
                  "openai",
                  LlmSettings.ENV_BASE_URL,
                  server.baseUrl(),
                  LlmSettings.ENV_MODEL,
                  "m"));
      ModelClient client = ModelClient.of(settings);
      LlmException e =
          assertThrows(
              LlmException.class,
              () -> client.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build()));
      assertEquals(LlmException.Kind.BLOCKED, e.kind());
      assertEquals(0, server.received().size());
    }
  }

  @Test
  void rateLimitsTimeoutsRefusalsAndMalformedAnswersAreCellErrorsWithoutTheKey() throws Exception {
    Map<String, Reply> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "llm-rate-limit",
        new Failure(429, "{\"error\":{\"message\":\"Rate limit reached for " + KEY + "\"}}"));
    cases.put(
        "llm-refused",
        new Failure(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
    cases.put("llm-timeout", new Slow(4000, new Text("{\"hypotheses\": []}")));
    cases.put("llm-output", new Text("I think the network is slow. " + KEY));
    for (var c : cases.entrySet()) {
      Path caseDir = Files.createDirectories(dir.resolve(c.getKey()));
      try (DemoIncident incident = new DemoIncident(caseDir);
          LoopbackModelServer server =
              new LoopbackModelServer(Protocol.OPENAI, List.of(c.getValue()))) {
        CellOutput out = ask(incident, server, Map.of("question", "why?"), "timeout: 2s\n");
        CellOutput.Error e = assertInstanceOf(CellOutput.Error.class, out, c.getKey());
        System.out.println(c.getKey() + ": " + e.message());
        assertEquals(c.getKey(), e.errorKind(), e.message());
        assertFalse(
            (e.message() + e.detail()).contains(KEY), "the key is scrubbed: " + e.message());
        assertFalse((e.message() + e.detail()).contains("0123456789abcdef"), e.message());
        assertTrue(
            server.received().stream().noneMatch(r -> r.text().contains(KEY)),
            "the key only travels in a header");
        assertTrue(server.received().getFirst().headers().toString().contains("Bearer " + KEY));
        // the notebook keeps working: the same connection still answers
        try (Statement s = incident.connection.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
          assertTrue(rs.next());
        }
      }
    }
  }

  @Test
  void withNothingConfiguredTheDeterministicAnalystAnswersAndSaysSo() throws Exception {
    try (DemoIncident incident = new DemoIncident(dir)) {
      CellOutput out =
          incident
              .runner(Map.of())
              .run(
                  Map.of(
                      "question",
                      "why does inventory fail to answer checkout?",
                      "repo",
                      incident.repo.toString()),
                  incident.context());
      CellOutput.Hypotheses h = assertInstanceOf(CellOutput.Hypotheses.class, out);
      assertEquals("deterministic analyst", h.provenance().answeredBy());
      assertTrue(h.provenance().note().startsWith("No model is configured"), h.provenance().note());
      assertNull(h.provenance().model());
      assertEquals(CellOutput.Check.SUPPORTED, h.items().getFirst().check().verdict());
    }
  }
}
