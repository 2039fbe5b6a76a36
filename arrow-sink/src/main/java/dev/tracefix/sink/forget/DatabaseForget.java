package dev.tracefix.sink.forget;

import dev.tracefix.sink.Subject;
import dev.tracefix.sink.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Deletes a subject's rows from the store's tables and audits it, in one transaction. */
public final class DatabaseForget {
  private DatabaseForget() {}

  /** Whether any row of the store belongs to {@code subject}. */
  public static boolean holds(Connection connection, Subject subject) throws SQLException {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String table : SubjectRows.TABLES) {
      sources.put(table, table);
    }
    try {
      return !SubjectRows.prepare(connection, subject, sources).isEmpty(connection, "captures");
    } finally {
      SubjectRows.dropTemporaries(connection);
    }
  }

  /** Rows deleted per table; every table searched gets an audit row, even with 0 rows. */
  public static Map<String, Long> run(Connection connection, Subject subject, Instant at)
      throws SQLException {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String table : SubjectRows.TABLES) {
      sources.put(table, table);
    }
    return Transactions.inTransaction(
        connection,
        () -> {
          SubjectRows rows = SubjectRows.prepare(connection, subject, sources);
          Map<String, Long> deleted = delete(connection, rows);
          for (var entry : deleted.entrySet()) {
            AuditLog.record(
                connection, at, subject.kind(), subject.digest(), entry.getKey(), entry.getValue());
          }
          return deleted;
        });
  }

  /** Deletes the rows {@code rows} resolved, table by table; the temporaries go afterwards. */
  static Map<String, Long> delete(Connection connection, SubjectRows rows) throws SQLException {
    Map<String, Long> deleted = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement()) {
      for (String table : SubjectRows.TABLES) {
        Optional<String> predicate = rows.predicate(table);
        if (predicate.isPresent()) {
          statement.execute("DELETE FROM " + table + " WHERE " + predicate.get());
          deleted.put(table, Math.max(0, statement.getLargeUpdateCount()));
        }
      }
    }
    SubjectRows.dropTemporaries(connection);
    return deleted;
  }
}
