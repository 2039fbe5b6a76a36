package dev.tracefix.sink.forget;

import dev.tracefix.sink.Retention;
import dev.tracefix.sink.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes what a {@link Retention} no longer allows, as of a given instant, and audits each table
 * that lost rows with subject kind {@code retention} and the rule ({@code events>P14D}) in place of
 * a digest. Captures marked {@code retention_exempt} (the shipped recorded example) keep every row.
 */
public final class RetentionSweep {
  private RetentionSweep() {}

  /** Rows deleted per table (only tables that lost rows). */
  public static Map<String, Long> run(Connection connection, Retention retention, Instant now)
      throws SQLException {
    return Transactions.inTransaction(
        connection,
        () -> {
          Map<String, Long> deleted = new LinkedHashMap<>();
          Duration captures = retention.maxAge().get("captures");
          if (captures != null) {
            SubjectRows rows =
                SubjectRows.capturesWhere(
                    connection,
                    "SELECT capture_id FROM captures WHERE coalesce(ended_at, started_at) < ?"
                        + " AND NOT coalesce(retention_exempt, false)",
                    cutoff(now, captures));
            audit(
                connection,
                now,
                "captures>" + captures,
                DatabaseForget.delete(connection, rows),
                deleted);
          }
          Duration events = retention.maxAge().get("events");
          if (events != null) {
            try (PreparedStatement delete =
                connection.prepareStatement(
                    "DELETE FROM events WHERE time < ? AND capture_id NOT IN"
                        + " (SELECT capture_id FROM captures WHERE retention_exempt)")) {
              delete.setObject(1, cutoff(now, events));
              long rows = Math.max(0, delete.executeLargeUpdate());
              audit(connection, now, "events>" + events, Map.of("events", rows), deleted);
            }
            // Default mode's aggregates are the same calls counted in the kernel: they age with the
            // events, by the end of their interval, so no call outlives the events' limit as a
            // count.
            try (PreparedStatement delete =
                connection.prepareStatement(
                    "DELETE FROM syscall_stats WHERE interval_end < ? AND capture_id NOT IN"
                        + " (SELECT capture_id FROM captures WHERE retention_exempt)")) {
              delete.setObject(1, cutoff(now, events));
              long rows = Math.max(0, delete.executeLargeUpdate());
              audit(connection, now, "events>" + events, Map.of("syscall_stats", rows), deleted);
            }
            // JVM flight-recorder rows are events too, and age by the same rule.
            try (PreparedStatement delete =
                connection.prepareStatement(
                    "DELETE FROM jvm_events WHERE time < ? AND capture_id NOT IN"
                        + " (SELECT capture_id FROM captures WHERE retention_exempt)")) {
              delete.setObject(1, cutoff(now, events));
              long rows = Math.max(0, delete.executeLargeUpdate());
              audit(connection, now, "events>" + events, Map.of("jvm_events", rows), deleted);
            }
          }
          return deleted;
        });
  }

  private static void audit(
      Connection connection,
      Instant now,
      String rule,
      Map<String, Long> rows,
      Map<String, Long> total)
      throws SQLException {
    for (var entry : rows.entrySet()) {
      if (entry.getValue() > 0) {
        AuditLog.record(connection, now, "retention", rule, entry.getKey(), entry.getValue());
        total.merge(entry.getKey(), entry.getValue(), Long::sum);
      }
    }
  }

  private static LocalDateTime cutoff(Instant now, Duration age) {
    return LocalDateTime.ofInstant(now.minus(age), ZoneOffset.UTC);
  }
}
