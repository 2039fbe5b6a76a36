package dev.tracefix.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.StoreOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventColumnsTest {
  /**
   * The columns (name, DuckDB type, nullable) the store had at schema version 7, in order: spool
   * segments and exports of older versions hold a prefix of them, read back by name and type.
   */
  private static final List<String> VERSION_7_COLUMNS =
      List.of(
          "time TIMESTAMP_NS not null",
          "type VARCHAR not null",
          "process_token VARCHAR null",
          "duration_ns BIGINT not null",
          "bytes BIGINT not null",
          "errno INTEGER not null",
          "errno_name VARCHAR null",
          "peer_hash VARCHAR null",
          "key_id VARCHAR null",
          "syscall VARCHAR null",
          "fd INTEGER not null",
          "connection_hash VARCHAR null",
          "tcp_old_state VARCHAR null",
          "tcp_new_state VARCHAR null",
          "family INTEGER not null",
          "protocol INTEGER not null",
          "local_port INTEGER not null",
          "remote_port INTEGER not null",
          "local_hash VARCHAR null",
          "exit_status INTEGER not null",
          "symbol VARCHAR null",
          "binary_hash VARCHAR null",
          "stack_id BIGINT null",
          "thread_token VARCHAR null",
          "wait_state VARCHAR null",
          "child_token VARCHAR null",
          "previous_token VARCHAR null");

  @TempDir Path tmp;

  @Test
  void theColumnsDerivedFromSafeEventKeepEveryEarlierColumnInItsPlaceAndType() {
    List<String> derived = new ArrayList<>();
    for (EventColumns.Column c : EventColumns.all()) {
      derived.add(c.name() + " " + c.kind().sqlType() + (c.nullable() ? " null" : " not null"));
    }
    assertEquals(
        VERSION_7_COLUMNS, derived.subList(0, VERSION_7_COLUMNS.size()), derived::toString);
    assertTrue(EventColumns.named("return_value").isEmpty(), "a raw pointer is never stored");
  }

  @Test
  void aStoreLackingAColumnSafeEventDeclaresGetsItWhenOpenedAndKeepsItsRows() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator, keepAll())) {
      store(store, "c-before");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      // As a store written before previous_token was declared: the column is not there.
      s.execute("ALTER TABLE events DROP COLUMN previous_token");
    }
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator, keepAll())) {
      store(store, "c-after");
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT capture_id, count(*), count(previous_token), min(errno_name)"
                      + " FROM events GROUP BY ALL ORDER BY capture_id")) {
        assertTrue(rs.next());
        assertEquals("c-after", rs.getString(1));
        assertEquals(2, rs.getLong(2));
        assertEquals(2, rs.getLong(3), "the re-added column is written");
        assertTrue(rs.next());
        assertEquals("c-before", rs.getString(1));
        assertEquals(2, rs.getLong(2), "rows stored before keep their place");
        assertEquals(0, rs.getLong(3), "and read NULL in the added column");
        assertEquals("ETIMEDOUT", rs.getString(4));
      }
    }
  }

  @Test
  void aColumnWhoseStoredTypeDiffersNeedsAMigrationAndIsRefusedByName() throws Exception {
    Path db = tmp.resolve("retyped.duckdb");
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator, keepAll())) {
      store(store, "c-1");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE events ALTER COLUMN fd TYPE BIGINT");
    }
    try (RootAllocator allocator = new RootAllocator()) {
      SinkException e =
          assertThrows(SinkException.class, () -> EventStore.open(db, allocator, keepAll()));
      assertTrue(
          e.getMessage().contains("fd is BIGINT in the store, INTEGER in SafeEvent"),
          e.getMessage());
      assertTrue(e.getMessage().contains("needs a schema migration"), e.getMessage());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
      rs.next();
      assertEquals(2, rs.getLong(1), "nothing was lost by the refusal");
    }
  }

  private static StoreOptions keepAll() {
    return StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);
  }

  private static void store(EventStore store, String captureId) {
    try (CaptureWriter writer = store.beginCapture(captureId, "node-1")) {
      long now = System.currentTimeMillis() * 1_000_000L;
      writer.onEvents(
          List.of(
              SafeEvent.builder(now, EventType.PROCESS_EXEC, "p_new", "k")
                  .previousToken("p_old")
                  .build(),
              SafeEvent.builder(now + 1, EventType.SYSCALL, "p_new", "k")
                  .syscall("connect")
                  .errno(110)
                  .previousToken("p_x")
                  .build()));
      writer.flush();
    }
  }
}
