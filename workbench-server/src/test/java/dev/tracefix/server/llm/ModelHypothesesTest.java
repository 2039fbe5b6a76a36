package dev.tracefix.server.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.llm.LoopbackModelServer.Protocol;
import dev.tracefix.server.llm.LoopbackModelServer.Reply;
import dev.tracefix.server.llm.LoopbackModelServer.Text;
import dev.tracefix.server.llm.LoopbackModelServer.ToolCalls;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole path with a real HTTP provider on loopback: an ask cell on the demo capture, the model
 * calling every tool, the gateway clearing every request, the workbench checking every hypothesis.
 * The planted corpus sits on every path out; none of it may reach the server, and the audit table
 * must match what the server received, byte for byte.
 */
class ModelHypothesesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static final String ANSWER =
      """
      Here is what I found.
      {"hypotheses": [
        {"statement": "inventory's replies fail with EPIPE: checkout closed the connection first",
         "evidence": "22 failed socket writes by inventory, none by checkout",
         "evidence_keys": ["comm=inventory", "errno_name=EPIPE"],
         "check_sql": "SELECT p.comm, count(*) AS epipe FROM events e JOIN processes p ON p.token = e.process_token AND p.capture_id = e.capture_id WHERE e.errno_name = 'EPIPE' AND p.comm = 'inventory' GROUP BY p.comm"},
        {"statement": "inventory runs out of memory",
         "evidence": "a guess",
         "check_sql": "SELECT * FROM events WHERE errno_name = 'ENOMEM'"},
        {"statement": "the events table should be cleaned",
         "evidence": "a bad idea",
         "check_sql": "DELETE FROM events"}
      ]}
      """;

  static List<Reply> script() {
    return List.of(
        new ToolCalls(List.of(Map.entry("list_tables", "{}"))),
        new ToolCalls(
            List.of(
                Map.entry("run_sql", "{\"query\": \"SELECT comm, token FROM processes\"}"),
                Map.entry("run_sql", "{\"query\": \"SELECT note FROM incident_notes\"}"))),
        new ToolCalls(
            List.of(
                Map.entry("search_repository", "{\"query\": \"oncall contacts password token\"}"),
                Map.entry("read_saved_query", "{\"name\": \"planted.sql\"}"),
                Map.entry("describe_table", "{\"table\": \"events\"}"),
                Map.entry("list_saved_queries", "{}"))),
        new Text(ANSWER));
  }

  @ParameterizedTest(name = "{0}, stream={1}")
  @CsvSource({
    "OPENAI, false",
    "OPENAI, true",
    "OLLAMA, false",
    "OLLAMA, true",
    "ANTHROPIC, false",
    "ANTHROPIC, true"
  })
  void aToolCallingLoopReachesASupportedHypothesisAndNoPlantedValueReachesTheProvider(
      Protocol protocol, boolean stream) throws Exception {
    String question =
        "why does inventory fail to answer checkout? (reported by "
            + DemoIncident.class.getSimpleName()
            + " on-call alice.smith@example.com, password=hunter2-Staging!)";
    try (DemoIncident incident = new DemoIncident(dir);
        LoopbackModelServer server = new LoopbackModelServer(protocol, script())) {
      Map<String, String> env =
          Map.of(
              LlmSettings.ENV_PROVIDER,
              protocol.name().toLowerCase(),
              LlmSettings.ENV_BASE_URL,
              server.baseUrl(),
              LlmSettings.ENV_MODEL,
              "loopback-model",
              LlmSettings.ENV_API_KEY,
              "sk-test-SECRETKEY-0123456789abcdef");
      if (stream) {
        java.nio.file.Files.writeString(
            incident.project.resolve("notebooks/llm.yaml"), "stream: true\n");
      }
      HypothesisCellRunner runner = incident.runner(env);
      CellOutput out =
          runner.run(
              Map.of(
                  "question",
                  question,
                  "repo",
                  incident.repo.toString(),
                  "results",
                  "errors, oncall",
                  "culprit",
                  "planted_commit"),
              incident.context());

      CellOutput.Hypotheses h =
          assertInstanceOf(CellOutput.Hypotheses.class, out, String.valueOf(out));
      List<String> verdicts = h.items().stream().map(i -> i.check().verdict()).toList();
      System.out.printf(
          "%s stream=%s: verdicts %s; %s%n", protocol, stream, verdicts, h.provenance());
      assertEquals(List.of("supported", "refuted", "not checkable"), verdicts);
      assertEquals("model", h.provenance().answeredBy());
      assertEquals("loopback-model", h.provenance().model());
      assertNotNull(h.provenance().promptSha256());
      assertEquals(4, h.provenance().requests());

      List<LoopbackModelServer.Received> received = server.received();
      assertEquals(4, received.size());
      int forms = incident.forbidden().size();
      List<String> leaks = new ArrayList<>();
      long bytes = 0;
      for (LoopbackModelServer.Received r : received) {
        String raw = r.text();
        bytes += r.body().length;
        leaks.addAll(incident.leaksIn(raw));
        leaks.addAll(incident.leaksIn(strings(JSON.readTree(r.body()))));
        assertTrue(
            !raw.contains("SECRETKEY") || r.path().contains("never"),
            "the API key is only in a header");
      }
      System.out.printf(
          "%s stream=%s: planted leaks %d of %d planted forms (%d planted lines) over %d requests, %d bytes%n",
          protocol,
          stream,
          leaks.size(),
          forms,
          incident.plantedLines.size(),
          received.size(),
          bytes);
      for (LoopbackModelServer.Received r : received) {
        String decoded = strings(JSON.readTree(r.body()));
        for (String leak : incident.leaksIn(decoded)) {
          int at = decoded.indexOf(leak);
          System.out.println(
              "LEAK in context: ["
                  + decoded.substring(
                      Math.max(0, at - 120), Math.min(decoded.length(), at + leak.length() + 40))
                  + "]");
        }
      }
      assertEquals(List.of(), leaks);
      String all =
          received.stream().map(LoopbackModelServer.Received::text).reduce("", String::concat);
      assertTrue(all.contains("<EMAIL:"), "redacted values travel as placeholders");
      assertTrue(
          all.contains("INVENTORY_TIMEOUT"),
          "repository code and the culprit diff reach the model");

      try (Connection audit = incident.auditFile();
          Statement s = audit.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT request_sha256, request_bytes, decision, hit_count, response_bytes, outcome, provider, model"
                      + " FROM llm_audit ORDER BY sent_at, request_bytes")) {
        List<String> audited = new ArrayList<>();
        while (rs.next()) {
          assertEquals("redacted", rs.getString("decision"));
          assertTrue(rs.getLong("hit_count") > 0);
          assertTrue(rs.getLong("response_bytes") > 0);
          assertEquals("ok", rs.getString("outcome"));
          assertEquals(protocol.name().toLowerCase(), rs.getString("provider"));
          audited.add(rs.getString("request_sha256") + "/" + rs.getLong("request_bytes"));
        }
        List<String> got =
            received.stream()
                .map(r -> Exchange.sha256(r.body()) + "/" + r.body().length)
                .sorted()
                .toList();
        assertEquals(
            got,
            audited.stream().sorted().toList(),
            "llm_audit matches the bytes the server received");
      }
    }
  }

  /** Every string value in a JSON document, decoded, one per line. */
  static String strings(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    if (node.isTextual()) {
      sb.append(node.asText()).append('\n');
      if (node.asText().startsWith("{")) {
        try {
          sb.append(strings(JSON.readTree(node.asText())));
        } catch (Exception notJson) {
          // plain text
        }
      }
    }
    node.forEach(child -> sb.append(strings(child)));
    node.fieldNames().forEachRemaining(sb::append);
    return sb.toString();
  }
}
