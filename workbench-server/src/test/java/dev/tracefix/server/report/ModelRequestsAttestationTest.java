package dev.tracefix.server.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.server.llm.LlmAudit;
import dev.tracefix.server.notebook.NotebookParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRequestsAttestationTest {
  static final HmacKey KEY =
      new HmacKey("k_report", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  @Test
  void theAttestationCountsModelRequestsByDecisionAndTheValuesReplacedInThem() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      LlmAudit audit = new LlmAudit(c);
      Instant now = Instant.now();
      audit.record(
          new LlmAudit.Entry(
              now,
              "openai",
              "m",
              "hypothesize",
              "ab",
              100,
              Map.of("EMAIL", 3L, "JWT", 1L),
              "redacted",
              50,
              10,
              "ok"));
      audit.record(
          new LlmAudit.Entry(
              now,
              "openai",
              "m",
              "tool-results",
              "cd",
              120,
              Map.of("EMAIL", 2L),
              "redacted",
              50,
              10,
              "ok"));
      audit.record(
          new LlmAudit.Entry(
              now, "openai", "m", "tool-results", null, 130, Map.of(), "blocked", 0, 0, "blocked"));
      audit.record(
          new LlmAudit.Entry(now, "openai", "m", "check", "ef", 20, Map.of(), "sent", 5, 3, "ok"));
      String md =
          ReportBuilder.build(
                  NotebookParser.parse("n.md", "# N\n"),
                  Map.of(),
                  List.of(),
                  LlmAudit.summary(c),
                  KEY)
              .render(ReportFormat.MARKDOWN);
      System.out.println(md.substring(md.indexOf("Model requests")));
      assertTrue(
          md.contains(
              "4 request(s) to a model passed the privacy gateway (llm_audit): 1 sent unchanged,"
                  + " 2 sent with recognized values replaced, 1 blocked and never sent."),
          md);
      assertTrue(md.contains("| EMAIL | 5 |") || md.contains("EMAIL") && md.contains("5"), md);
    }
  }

  @Test
  void aStoreWithoutModelRequestsSaysSo() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      String md =
          ReportBuilder.build(
                  NotebookParser.parse("n.md", "# N\n"),
                  Map.of(),
                  List.of(),
                  LlmAudit.summary(c),
                  KEY)
              .render(ReportFormat.MARKDOWN);
      assertTrue(md.contains("No request went to a model"), md);
    }
  }
}
