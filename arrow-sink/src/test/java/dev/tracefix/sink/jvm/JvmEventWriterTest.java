package dev.tracefix.sink.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.ForgetResult;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import dev.tracefix.sink.Subject;
import dev.tracefix.sink.schema.JvmEventColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmEventWriterTest {
  @TempDir Path tmp;

  @Test
  void aFreshStoresJvmEventsTableHasExactlyTheColumnsSafeJvmEventDeclares() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = open(allocator, "columns.duckdb");
        Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT column_name, data_type FROM duckdb_columns()"
                    + " WHERE table_name = 'jvm_events' ORDER BY column_index")) {
      List<String> stored = new ArrayList<>();
      while (rs.next()) {
        stored.add(rs.getString(1) + " " + rs.getString(2));
      }
      List<String> declared = new ArrayList<>(List.of("capture_id VARCHAR"));
      JvmEventColumns.all().forEach(col -> declared.add(col.name() + " " + col.kind().sqlType()));
      assertEquals(declared, stored);
    }
  }

  @Test
  void committedRowsAreStoredWithTheirTypeNameAndAnUncommittedImportLeavesNone() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = open(allocator, "rows.duckdb")) {
      long t = 1_765_000_000_000_000_000L;
      SafeJvmEvent gc =
          SafeJvmEvent.builder(t, JvmEventType.GARBAGE_COLLECTION, "p_01", "k_1")
              .gc("G1New", "G1 Evacuation Pause", 7)
              .pauses(2_000_000, 3_000_000)
              .durationNs(4_000_000)
              .build();
      SafeJvmEvent write =
          SafeJvmEvent.builder(t + 5, JvmEventType.SOCKET_WRITE, "p_01", "k_1")
              .thread("t_02", "j_03", "writer")
              .peer("a_04", "h_05", 5432)
              .bytes(1001)
              .stackId(42)
              .build();
      try (CaptureWriter capture = store.beginCapture("c-kept", "node-1");
          JvmEventWriter jvm = new JvmEventWriter(store.connect(), allocator, capture)) {
        jvm.onJvmEvents(List.of(gc, write));
        assertEquals(2, jvm.commit());
      }
      try (CaptureWriter capture = store.beginCapture("c-failed", "node-1");
          JvmEventWriter jvm = new JvmEventWriter(store.connect(), allocator, capture)) {
        jvm.onJvmEvents(List.of(gc));
        // no commit: the import failed after this batch
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT capture_id, type, epoch_ns(time), gc_name, longest_pause_ns,"
                      + " stack_id, thread_token, remote_port, bytes FROM jvm_events ORDER BY time")) {
        assertTrue(rs.next());
        assertEquals("c-kept", rs.getString(1));
        assertEquals("jdk.GarbageCollection", rs.getString(2));
        assertEquals(t, rs.getLong(3));
        assertEquals("G1New", rs.getString(4));
        assertEquals(2_000_000, rs.getLong(5));
        assertEquals(null, rs.getObject(6), "no stack is NULL, as in events");
        assertTrue(rs.next());
        assertEquals("jdk.SocketWrite", rs.getString(2));
        assertEquals(42, rs.getLong(6));
        assertEquals("t_02", rs.getString(7));
        assertEquals(5432, rs.getInt(8));
        assertEquals(1001, rs.getLong(9));
        assertFalse(rs.next(), "the uncommitted import stored nothing");
      }
    }
  }

  @Test
  void forgettingAProcessTokenDeletesItsJvmRowsAndNoOthers() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = open(allocator, "forget.duckdb")) {
      long t = 1_765_000_000_000_000_000L;
      try (CaptureWriter capture = store.beginCapture("c-jvm", "node-1");
          JvmEventWriter jvm = new JvmEventWriter(store.connect(), allocator, capture)) {
        for (String token : List.of("p_gone", "p_kept")) {
          jvm.onProcess(new SafeProcess(token, "java", null, "/", "e_1", "k_1"));
          jvm.onJvmEvents(
              List.of(
                  SafeJvmEvent.builder(t, JvmEventType.EXCEPTION_THROW, token, "k_1")
                      .objectClass("java.io.IOException")
                      .build()));
        }
        jvm.commit();
        capture.finish(
            new CaptureSummary(
                "c-jvm", Instant.now(), Instant.now(), List.of("jfr"), 0, 0, "k_1", -1, List.of()));
      }
      ForgetResult forgot = store.forget(new Subject.Token("p_gone"));
      System.out.println("JvmEventWriterTest: forget deleted " + forgot);
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT string_agg(process_token, ',') FROM jvm_events")) {
        rs.next();
        assertEquals("p_kept", rs.getString(1));
      }
    }
  }

  private EventStore open(RootAllocator allocator, String name) {
    return EventStore.open(
        tmp.resolve(name), allocator, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL));
  }
}
