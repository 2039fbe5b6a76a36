package dev.tracefix.sink.forget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Writes {@code deletions} rows: what kind of subject, its digest, which table, how many rows. */
public final class AuditLog {
  private AuditLog() {}

  public static void record(
      Connection connection, Instant at, String kind, String digest, String table, long rows)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO deletions VALUES (?, ?, ?, ?, ?)")) {
      insert.setObject(1, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
      insert.setString(2, kind);
      insert.setString(3, digest);
      insert.setString(4, table);
      insert.setLong(5, rows);
      insert.executeUpdate();
    }
  }
}
