package dev.tracefix.sink.spool;

import dev.tracefix.sink.Transactions;
import dev.tracefix.sink.arrow.ArrowStreamInsert;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;

/**
 * Inserts one segment's rows and records its id in {@code spool_segments} in the same DuckDB
 * transaction: after a crash the segment is either fully in the database, with its id, or not at
 * all, and an id already recorded means "delete the file, do not insert again".
 */
public final class SegmentIngest {
  private SegmentIngest() {}

  /** Returns the rows inserted, or -1 when the segment id was already recorded. */
  public static long ingest(
      DuckDBConnection connection,
      BufferAllocator allocator,
      SegmentName name,
      String host,
      VectorSchemaRoot root)
      throws SQLException {
    return Transactions.inTransaction(
        connection, () -> insert(connection, allocator, name, host, root));
  }

  /**
   * The rows and the ledger entry of one segment, in the transaction the connection has open (the
   * caller commits several segments together or rolls them all back); -1 when the segment id was
   * already recorded and nothing was written.
   */
  public static long insert(
      DuckDBConnection connection,
      BufferAllocator allocator,
      SegmentName name,
      String host,
      VectorSchemaRoot root)
      throws SQLException {
    if (alreadyIngested(connection, name)) {
      return -1L; // nothing written
    }
    // A segment recovered without its capture row (copied from another machine) still lands.
    try (PreparedStatement capture =
        connection.prepareStatement(
            "INSERT INTO captures (capture_id, host) SELECT ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM captures WHERE capture_id = ?)")) {
      capture.setString(1, name.captureId());
      capture.setString(2, host);
      capture.setString(3, name.captureId());
      capture.executeUpdate();
    }
    String insertSql =
        name.table()
            .insertSqlFor(root.getSchema().getFields())
            .orElseThrow(
                () ->
                    new SQLException(
                        "segment "
                            + name.fileName()
                            + " has columns no tracefix writes for "
                            + name.table().tableName()
                            + ": "
                            + root.getSchema()));
    long rows = ArrowStreamInsert.insert(connection, allocator, root, insertSql, name.captureId());
    try (PreparedStatement ledger =
        connection.prepareStatement("INSERT INTO spool_segments VALUES (?, ?, ?, ?, ?)")) {
      ledger.setString(1, name.id());
      ledger.setString(2, name.captureId());
      ledger.setString(3, name.table().tableName());
      ledger.setLong(4, rows);
      ledger.setObject(5, LocalDateTime.now(ZoneOffset.UTC));
      ledger.executeUpdate();
    }
    return rows;
  }

  private static boolean alreadyIngested(DuckDBConnection connection, SegmentName name)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM spool_segments WHERE segment_id = ?")) {
      query.setString(1, name.id());
      try (ResultSet rs = query.executeQuery()) {
        return rs.next();
      }
    }
  }
}
