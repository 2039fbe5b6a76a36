package dev.tracefix.sink.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.schema.StoreSchema;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

class ArrowStreamInsertTest {
  private static DuckDBConnection memoryDb() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
  }

  private static EventBatch batchOf(RootAllocator allocator, int rows) {
    EventBatch batch = new EventBatch(allocator, 16);
    for (int i = 0; i < rows; i++) {
      batch.add(
          SafeEvent.builder(i, EventType.SENDTO, "tok", "k")
              .durationNs(i * 10L)
              .bytes(i)
              .errno(i % 2 == 0 ? 0 : 104)
              .build());
    }
    return batch;
  }

  @Test
  void insertsTheBatchAndReleasesEveryArrowBuffer() throws SQLException {
    try (RootAllocator allocator = new RootAllocator();
        DuckDBConnection db = memoryDb();
        EventBatch batch = batchOf(allocator, 1_000)) {
      StoreSchema.migrate(db);
      assertEquals(1_000, ArrowStreamInsert.insertEvents(db, allocator, "cap", batch));
      batch.reset();
      // The batch may be reused at once: DuckDB read its own references to the buffers.
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), sum(duration_ns), count(errno_name) FROM events"
                      + " WHERE capture_id = 'cap' AND errno_name IS DISTINCT FROM 'EPIPE'")) {
        rs.next();
        assertEquals(1_000, rs.getLong(1));
        assertEquals(4_995_000, rs.getLong(2));
        assertEquals(500, rs.getLong(3));
      }
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'tracefix_arrow%'")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "the one-shot view is dropped");
      }
    }
  }

  @Test
  void aFailedInsertStillReleasesTheExportedStream() throws SQLException {
    try (RootAllocator allocator = new RootAllocator();
        DuckDBConnection db = memoryDb();
        EventBatch batch = batchOf(allocator, 100)) {
      // No schema: the events table does not exist.
      assertThrows(
          SQLException.class, () -> ArrowStreamInsert.insertEvents(db, allocator, "cap", batch));
      batch.reset();
    } // RootAllocator.close() throws here if the stream or its reader leaked a buffer.
  }
}
