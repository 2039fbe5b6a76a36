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
  /** Tables that age by the events' limit, each with the time column it ages by. */
  private static final String[][] EVENT_TABLES = {
    {"events", "time"}, {"syscall_stats", "interval_end"}, {"jvm_events", "time"}
  };

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
            // Events, and the rows that are events too: default mode's aggregates (the same calls
            // counted in the kernel, aged by the end of their interval, so no call outlives the
            // events' limit as a count) and JVM flight-recorder events.
            for (String[] table : EVENT_TABLES) {
              try (PreparedStatement delete =
                  connection.prepareStatement(
                      "DELETE FROM "
                          + table[0]
                          + " WHERE "
                          + table[1]
                          + " < ? AND capture_id NOT IN"
                          + " (SELECT capture_id FROM captures WHERE retention_exempt)")) {
                delete.setObject(1, cutoff(now, events));
                long rows = Math.max(0, delete.executeLargeUpdate());
                audit(connection, now, "events>" + events, Map.of(table[0], rows), deleted);
              }
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
