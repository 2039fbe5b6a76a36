package dev.tracefix.server.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A default-mode capture streams only its failed (and slow) calls; how often a process fails is
 * still taken over all its calls, which syscall_stats counts, not over the streamed rows (where
 * every row would be a failure).
 */
class DefaultModeErrorsTest {
  @Test
  void theFailureShareOfAnAggregatedCaptureIsOverEveryCall() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      TraceTables.create(c);
      s.execute(
          "CREATE TABLE syscall_stats(capture_id VARCHAR, process_token VARCHAR, syscall VARCHAR,"
              + " errno INTEGER, calls BIGINT)");
      // 1 000 connects, 10 refused: the refusals are the only connect rows in events.
      s.execute(
          "INSERT INTO syscall_stats VALUES ('c1', 'tok-worker-02', 'connect', 0, 990),"
              + " ('c1', 'tok-worker-02', 'connect', 111, 10)");
      for (int i = 0; i < 10; i++) {
        s.execute(
            "INSERT INTO events VALUES ('c1', TIMESTAMP '2025-03-01 10:00:0"
                + i
                + "', 'syscall',"
                + " 'tok-worker-02', 1000, 0, 111, 'ECONNREFUSED', 'peer-1', 'k1')");
      }
      List<Finding> findings = ErrorDetectors.errnoByProcess(new TraceStats(c));
      System.out.println("default-mode errno-by-process: " + findings);
      assertEquals(1, findings.size(), findings::toString);
      String evidence = findings.getFirst().hypothesis().evidence();
      assertTrue(evidence.startsWith("10 of 1000 syscall calls"), evidence);
    }
  }
}
