package dev.tracefix.server.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceAnalystTest {
  @TempDir Path dir;

  private Connection tables() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("a.duckdb"));
    TraceTables.create(c);
    return c;
  }

  private static boolean returnsRows(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }

  @Test
  void findsTheEpipeBurstInTheWorkerAndEveryCheckQueryConfirmsItsHypothesis() throws Exception {
    try (Connection c = tables()) {
      TraceTables.fill(c, 11);
      CellOutput.Hypotheses h =
          assertInstanceOf(
              CellOutput.Hypotheses.class,
              new TraceAnalyst()
                  .ask(c, Map.of("question", "why does the worker see EPIPE errors?")));
      h.items().forEach(i -> System.out.println(i.statement() + "\n   " + i.evidence()));
      List<String> statements = h.items().stream().map(CellOutput.Hypothesis::statement).toList();
      assertTrue(
          statements.stream()
              .anyMatch(s -> s.startsWith("worker [tok-worker] fails sendto with EPIPE")),
          statements.toString());
      assertTrue(
          statements.stream()
              .anyMatch(
                  s -> s.startsWith("EPIPE errors come in a burst around 2025-03-01 10:00:30")),
          statements.toString());
      assertTrue(
          statements.stream().anyMatch(s -> s.startsWith("sendto calls have a long latency tail")),
          statements.toString());
      assertTrue(
          statements.stream()
              .anyMatch(s -> s.startsWith("retransmits concentrate on peer peer-lossy")),
          statements.toString());
      assertTrue(
          h.items().getFirst().statement().contains("EPIPE"),
          "an EPIPE question ranks EPIPE first");
      for (CellOutput.Hypothesis hypothesis : h.items()) {
        assertTrue(returnsRows(c, hypothesis.checkSql()), hypothesis.checkSql());
      }
    }
  }

  @Test
  void aQuestionAboutLatencyRanksTheLatencyTailFirst() throws Exception {
    try (Connection c = tables()) {
      TraceTables.fill(c, 11);
      CellOutput.Hypotheses h =
          (CellOutput.Hypotheses) new TraceAnalyst().ask(c, Map.of("question", "why is it slow?"));
      assertTrue(
          h.items().getFirst().statement().contains("latency"), h.items().getFirst().statement());
    }
  }

  @Test
  void evenUnremarkableTrafficYieldsACheckableHypothesis() throws Exception {
    try (Connection c = tables();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO events SELECT 'c1', TIMESTAMP_NS '2025-03-01 10:00:00' + to_seconds(range),"
              + " 'sendto', 'tok-api-0001', 1000, 10, 0, NULL, 'peer-0', 'k1' FROM range(5)");
      CellOutput.Hypotheses h = (CellOutput.Hypotheses) new TraceAnalyst().ask(c, Map.of());
      assertFalse(h.items().isEmpty());
      assertEquals(
          "api [tok-api-00] produces most of the traced activity; start there",
          h.items().getFirst().statement());
      assertTrue(returnsRows(c, h.items().getFirst().checkSql()));
    }
  }

  @Test
  void aMissingEventsTableIsAnErrorOutput() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      CellOutput.Error e =
          assertInstanceOf(CellOutput.Error.class, new TraceAnalyst().ask(c, Map.of()));
      assertEquals("analyst", e.errorKind());
    }
  }
}
