package dev.tracefix.sink.arrow;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;

/**
 * Inserts an Arrow batch into the {@code events} table through the Arrow C stream interface:
 * DuckDB scans the vectors in place instead of receiving them row by row over JDBC.
 */
public final class ArrowStreamInsert {
  private static final AtomicLong NEXT_VIEW = new AtomicLong();

  private ArrowStreamInsert() {}

  /**
   * Inserts all rows of {@code batch} as events of {@code captureId} on {@code connection}, in
   * whatever transaction the connection has open. Returns the rows inserted.
   */
  public static long insertEvents(
      DuckDBConnection connection, BufferAllocator allocator, String captureId, EventBatch batch)
      throws SQLException {
    VectorSchemaRoot root = batch.sealed();
    if (root.getRowCount() == 0) {
      return 0;
    }
    // The registration is a temporary view over a one-shot stream; a fresh name per batch keeps
    // a failed insert from leaving a released stream behind under a name the next batch reuses.
    String view = "tracefix_arrow_batch_" + NEXT_VIEW.incrementAndGet();
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      // The reader holds its own references, so the stream stays valid whatever the batch does.
      Data.exportArrayStream(allocator, new SingleBatchReader(allocator, root), stream);
      connection.registerArrowStream(view, stream);
      long rows;
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes,"
                  + " errno, errno_name, peer_hash, key_id) SELECT ?, time, type, process_token,"
                  + " duration_ns, bytes, errno, errno_name, peer_hash, key_id FROM "
                  + view)) {
        insert.setString(1, captureId);
        rows = insert.executeLargeUpdate();
      } catch (SQLException e) {
        try {
          dropView(connection, view);
        } catch (SQLException dropFailure) {
          e.addSuppressed(dropFailure);
        }
        throw e;
      }
      dropView(connection, view);
      return rows;
    }
  }

  private static void dropView(DuckDBConnection connection, String view) throws SQLException {
    try (Statement drop = connection.createStatement()) {
      drop.execute("DROP VIEW IF EXISTS " + view);
    }
  }
}
