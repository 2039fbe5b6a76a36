package dev.tracefix.server.llm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code llm_audit} table: one row per request the gateway handled, sent or not. It holds what
 * was sent (SHA-256 and size of the body bytes as the HTTP client sent them), what the recognizers
 * replaced (counts by type), the decision, and what came back (size, latency, outcome) — never a
 * request's text, and for a blocked request not even its hash (a hash of text that holds a secret
 * lets anyone confirm a guess of it). The workbench owns this table, so it is created here rather
 * than among the capture tables of the event store's schema; its rows go to an {@link AuditStore}
 * beside the store, which reports read for their attestation.
 */
public final class LlmAudit {
  static final String DDL =
      """
      CREATE TABLE IF NOT EXISTS llm_audit(
        sent_at TIMESTAMP,
        provider VARCHAR,
        model VARCHAR,
        purpose VARCHAR,
        request_sha256 VARCHAR,
        request_bytes BIGINT,
        hits VARCHAR,
        hit_count BIGINT,
        decision VARCHAR,
        response_bytes BIGINT,
        latency_ms BIGINT,
        outcome VARCHAR)
      """;

  /** One row. {@code hits} by recognizer type; {@code outcome} ok, or the failure's kind. */
  public record Entry(
      Instant sentAt,
      String provider,
      String model,
      String purpose,
      String requestSha256,
      long requestBytes,
      Map<String, Long> hits,
      String decision,
      long responseBytes,
      long latencyMs,
      String outcome) {}

  private final Connection connection;
  private final AuditStore store;
  private final List<Entry> entries = new ArrayList<>();

  /** Writes to {@code connection}'s {@code llm_audit}; null keeps the rows in memory only. */
  public LlmAudit(Connection connection) {
    this.connection = connection;
    this.store = null;
  }

  /** Writes each row to {@code store} as it is recorded. */
  public LlmAudit(AuditStore store) {
    this.connection = null;
    this.store = store;
  }

  public synchronized void record(Entry e) {
    entries.add(e);
    if (store != null) {
      store.append(e);
      return;
    }
    if (connection == null) {
      return;
    }
    try {
      insert(connection, e);
    } catch (SQLException ex) {
      throw new LlmException(
          LlmException.Kind.FAILED, "cannot write the llm_audit row: " + ex.getMessage(), ex);
    }
  }

  static void insert(Connection connection, Entry e) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(DDL);
    }
    {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO llm_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setTimestamp(1, Timestamp.from(e.sentAt()));
        insert.setString(2, e.provider());
        insert.setString(3, e.model());
        insert.setString(4, e.purpose());
        insert.setString(5, e.requestSha256());
        insert.setLong(6, e.requestBytes());
        insert.setString(7, hitsJson(e.hits()));
        insert.setLong(8, e.hits().values().stream().mapToLong(Long::longValue).sum());
        insert.setString(9, e.decision());
        insert.setLong(10, e.responseBytes());
        insert.setLong(11, e.latencyMs());
        insert.setString(12, e.outcome());
        insert.executeUpdate();
      }
    }
  }

  /** What this audit recorded in this process, in order. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  static String hitsJson(Map<String, Long> hits) {
    return new TreeMap<>(hits)
        .entrySet().stream()
            .map(h -> "\"" + h.getKey().replace("\"", "") + "\":" + h.getValue())
            .collect(Collectors.joining(",", "{", "}"));
  }

  /**
   * Totals for a privacy attestation: requests by decision and recognizer hits by type over every
   * row of {@code llm_audit}; empty when there is no such table.
   */
  public record Summary(long sent, long redacted, long blocked, Map<String, Long> hitsByType) {
    public long requests() {
      return sent + redacted + blocked;
    }

    /** Both summaries added up; empty only when both are. */
    public static java.util.Optional<Summary> plus(
        java.util.Optional<Summary> a, java.util.Optional<Summary> b) {
      if (a.isEmpty() || b.isEmpty()) {
        return a.isPresent() ? a : b;
      }
      Map<String, Long> hits = new TreeMap<>(a.get().hitsByType());
      b.get().hitsByType().forEach((type, n) -> hits.merge(type, n, Long::sum));
      return java.util.Optional.of(
          new Summary(
              a.get().sent() + b.get().sent(),
              a.get().redacted() + b.get().redacted(),
              a.get().blocked() + b.get().blocked(),
              hits));
    }
  }

  public static java.util.Optional<Summary> summary(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet t =
            s.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'llm_audit'")) {
      t.next();
      if (t.getLong(1) == 0) {
        return java.util.Optional.empty();
      }
    }
    long sent = 0;
    long redacted = 0;
    long blocked = 0;
    Map<String, Long> byType = new TreeMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT decision, count(*) FROM llm_audit GROUP BY decision")) {
      while (rs.next()) {
        switch (String.valueOf(rs.getString(1))) {
          case "sent" -> sent = rs.getLong(2);
          case "redacted" -> redacted = rs.getLong(2);
          case "blocked" -> blocked = rs.getLong(2);
          default -> {}
        }
      }
    }
    // Summed here rather than with DuckDB's json functions: a locked store may not load extensions.
    java.util.regex.Pattern pair = java.util.regex.Pattern.compile("\"([^\"]+)\":(\\d+)");
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT hits FROM llm_audit WHERE hit_count > 0")) {
      while (rs.next()) {
        java.util.regex.Matcher m = pair.matcher(String.valueOf(rs.getString(1)));
        while (m.find()) {
          byType.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
        }
      }
    }
    return java.util.Optional.of(new Summary(sent, redacted, blocked, byType));
  }
}
