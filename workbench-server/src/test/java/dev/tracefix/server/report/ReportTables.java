package dev.tracefix.server.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.privacy.Attestation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Generated trace tables for report tests, with the production column names of {@code captures}
 * (schema v2 provenance included) and planted values a report must never show verbatim.
 */
final class ReportTables {
  static final String POLICY_HASH =
      "sha256:9c1d4e7f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";
  static final String KEY_ID = "k_0123456789ab";
  static final String EMAIL = "alice.smith@example.com";
  static final String AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String JWT =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
          + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  static final String PASSWORD = "hunter2-Staging!";
  static final String SCRIPT = "<script>alert('pwned')</script>";
  static final int EVENTS = 120;

  private ReportTables() {}

  /**
   * Two captures: c1 attested (no payloads), c2 as {@code attestedSecond} says: attested too, or
   * recorded before attestations existed (NULL).
   */
  static void create(Connection c, boolean attestedSecond) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE captures(capture_id VARCHAR PRIMARY KEY, host VARCHAR,"
              + " started_at TIMESTAMP, ended_at TIMESTAMP, probes VARCHAR[], event_count BIGINT,"
              + " drop_count BIGINT, key_id VARCHAR, command_exit_code INTEGER,"
              + " session_id VARCHAR, kernel VARCHAR, policy_hash VARCHAR, key_ids VARCHAR[],"
              + " attestation VARCHAR)");
      s.execute(
          "CREATE TABLE processes(capture_id VARCHAR, token VARCHAR, comm VARCHAR, owner VARCHAR)");
      s.execute(
          "CREATE TABLE events(capture_id VARCHAR, time TIMESTAMP, process_token VARCHAR,"
              + " type VARCHAR, bytes BIGINT, errno INTEGER, errno_name VARCHAR)");
    }
    insertCapture(c, "c1", "2025-03-01 10:00:00", attestation(true));
    insertCapture(c, "c2", "2025-03-01 11:00:00", attestedSecond ? attestation(true) : null);
    try (PreparedStatement p = c.prepareStatement("INSERT INTO processes VALUES (?, ?, ?, ?)")) {
      Object[][] rows = {
        {"c1", "p_a1", "checkout", EMAIL},
        {"c1", "p_b2", SCRIPT, "svc"},
        {"c2", "p_c3", "inventory", "svc"}
      };
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          p.setObject(i + 1, row[i]);
        }
        p.addBatch();
      }
      p.executeBatch();
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO events SELECT 'c1', TIMESTAMP '2025-03-01 10:00:00' + i * INTERVAL 1 SECOND,"
              + " CASE WHEN i % 2 = 0 THEN 'p_a1' ELSE 'p_b2' END, 'sendto', 100 + i,"
              + " CASE WHEN i % 10 = 0 THEN 32 ELSE 0 END,"
              + " CASE WHEN i % 10 = 0 THEN 'EPIPE' ELSE '' END FROM range("
              + EVENTS
              + ") t(i)");
    }
  }

  private static void insertCapture(Connection c, String id, String started, String attestation)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO captures VALUES (?, 'host-a', CAST(? AS TIMESTAMP),"
                + " CAST(? AS TIMESTAMP) + INTERVAL 5 MINUTE, ['syscalls:sys_exit_sendto',"
                + " 'tcp:tcp_retransmit_skb'], 60, 3, ?, 0, 's1', '6.18', ?, [?], ?)")) {
      p.setString(1, id);
      p.setString(2, started);
      p.setString(3, started);
      p.setString(4, KEY_ID);
      p.setString(5, POLICY_HASH);
      p.setString(6, KEY_ID);
      p.setString(7, attestation);
      p.executeUpdate();
    }
  }

  static String attestation(boolean noPayloads) throws Exception {
    return new ObjectMapper()
        .writeValueAsString(
            new Attestation(
                "default",
                POLICY_HASH,
                List.of(KEY_ID),
                Map.of("process.comm:keep", 60L, "process.argv:redact", 60L),
                Map.of("EMAIL", 2L),
                noPayloads));
  }
}
