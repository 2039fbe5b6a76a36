package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.schema.StoreSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  /** Fixture events are dated January 2026: keep them whatever today is. */
  private static final dev.tracefix.sink.StoreOptions KEEP_ALL_RETENTION =
      dev.tracefix.sink.StoreOptions.DEFAULT.withRetention(dev.tracefix.sink.Retention.KEEP_ALL);

  @TempDir Path tmp;
  private RootAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocatorRevealingLeaks() {
    allocator.close();
  }

  @Test
  void createsTheCurrentSchemaInANewFile() throws SQLException {
    Path db = tmp.resolve("nested/dir/events.duckdb");
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertTrue(Files.exists(db));
      assertEquals(
          (long) StoreSchema.CURRENT_VERSION, single(s, "SELECT version FROM schema_version"));
      assertEquals(
          7L,
          single(
              s,
              "SELECT count(*) FROM duckdb_tables() WHERE table_name IN"
                  + " ('captures', 'events', 'processes', 'schema_version', 'stacks',"
                  + " 'capture_stats', 'spool_segments')"));
      assertEquals(
          6L,
          single(
              s,
              "SELECT count(*) FROM duckdb_views() WHERE view_name IN ('sendto_calls',"
                  + " 'syscalls', 'retransmits_per_connection', 'process_event_sequences',"
                  + " 'error_bursts', 'tcp_connections')"));
    }
  }

  @Test
  void reopeningKeepsCapturesAndDoesNotMigrateTwice() throws SQLException {
    Path db = tmp.resolve("events.duckdb");
    SyntheticCapture capture = SyntheticCapture.generate("cap-keep", 2_000, 7);
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        CaptureWriter writer = store.beginCapture("cap-keep", "node-a")) {
      capture.writeTo(writer, 256);
      writer.finish(capture.summary());
    }
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(2_000L, single(s, "SELECT count(*) FROM events"));
      assertEquals(1L, single(s, "SELECT count(*) FROM schema_version"));
    }
  }

  @Test
  void refusesACaptureIdItAlreadyHolds() {
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      store.beginCapture("cap-dup", "node-a").close();
      SinkException e =
          assertThrows(SinkException.class, () -> store.beginCapture("cap-dup", "node-a"));
      assertEquals(SinkException.Kind.USER, e.kind());
      assertTrue(e.getMessage().contains("cap-dup"), e.getMessage());
      assertTrue(e.getMessage().contains("events.duckdb"), e.getMessage());
    }
  }

  @Test
  void refusesIdsThatCannotBeAPartitionDirectory() {
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      for (String bad : new String[] {"", "../etc", "a/b", "cap=1", ".hidden"}) {
        SinkException e =
            assertThrows(SinkException.class, () -> store.beginCapture(bad, "node-a"), bad);
        assertEquals(SinkException.Kind.USER, e.kind());
      }
    }
  }

  @Test
  void connectionsSeeWhatAWriterCommitted() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-live", 70_000, 8);
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator);
        Connection reader = store.connect();
        Statement s = reader.createStatement();
        CaptureWriter writer =
            store.beginCapture(
                "cap-live",
                "node-a",
                IngestOptions.DEFAULT
                    .withBatchRows(64 * 1024)
                    .withMaxBatchDelay(Duration.ofHours(1)))) {
      capture.writeTo(writer, 10_000);
      writer.awaitStored();
      // One full batch has landed; the remainder is still buffered until finish.
      assertEquals(65_536L, single(s, "SELECT count(*) FROM events"));
      writer.finish(capture.summary());
      assertEquals(70_000L, single(s, "SELECT count(*) FROM events"));
    }
  }

  @Test
  void nameTheFileWhenItCannotBeOpened() throws Exception {
    Path notADirectory = tmp.resolve("file");
    Files.writeString(notADirectory, "x");
    SinkException e =
        assertThrows(
            SinkException.class,
            () -> EventStore.open(notADirectory.resolve("events.duckdb"), allocator));
    assertEquals(SinkException.Kind.RESOURCE, e.kind());
    assertTrue(e.getMessage().contains(notADirectory.toString()), e.getMessage());
  }

  static Object single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      Object value = rs.getObject(1);
      return value instanceof Number n ? (Object) n.longValue() : value;
    }
  }
}
