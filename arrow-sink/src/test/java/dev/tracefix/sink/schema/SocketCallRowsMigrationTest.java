package dev.tracefix.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version 12 folds the socket calls a version-11 store kept twice into one row per call. */
class SocketCallRowsMigrationTest {
  @TempDir Path tmp;

  @Test
  void aVersionElevenStoreKeepsOneRowPerSocketCallAndLosesNoFact() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("v11.duckdb"));
        Statement s = c.createStatement()) {
      StoreSchema.migrate(c, 11);
      s.execute(
          "INSERT INTO captures (capture_id, event_count, drop_count) VALUES"
              + " ('c-folded', 10, 0), ('c-early', 4, 0)");
      // c-folded: both groups in one program, so each socket call has a twin at the same ns.
      // 3 sendto calls, 2 socket writes (one writev), 1 write to a file and 1 read: 7 calls.
      s.execute(
          """
          INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno,
                              peer_hash, syscall, fd, thread_token, stack_id)
          VALUES
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000001', 'sendto', 'p1', 10, 5, 0,
             'a_peer', NULL, 3, NULL, NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000001', 'syscall', 'p1', 10, 5, 0,
             NULL, 'sendto', 3, 't1', 77),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000002', 'sendto', 'p1', 10, 0, 9,
             NULL, NULL, 99, NULL, NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000002', 'syscall', 'p1', 10, 0, 9,
             NULL, 'sendto', 99, 't1', NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000003', 'sendto', 'p2', 10, 5, 0,
             'a_peer', NULL, 4, NULL, NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000004', 'socket_write', 'p1', 10,
             7, 0, NULL, NULL, 5, NULL, NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000004', 'syscall', 'p1', 10, 7, 0,
             NULL, 'writev', 5, 't2', NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000005', 'socket_write', 'p1', 10,
             7, 0, NULL, NULL, 5, NULL, NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000005', 'syscall', 'p1', 10, 7, 0,
             NULL, 'write', 5, 't2', NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000006', 'syscall', 'p1', 10, 7, 0,
             NULL, 'write', 6, 't2', NULL),
            ('c-folded', TIMESTAMP_NS '2026-01-01 00:00:00.000000007', 'syscall', 'p1', 10, 7, 0,
             NULL, 'read', 6, 't2', NULL),
            ('c-early', TIMESTAMP_NS '2026-01-01 00:00:01.000000100', 'sendto', 'p1', 10, 5, 0,
             'a_peer', NULL, 3, NULL, NULL),
            ('c-early', TIMESTAMP_NS '2026-01-01 00:00:01.000000150', 'syscall', 'p1', 10, 5, 0,
             NULL, 'sendto', 3, 't1', NULL),
            ('c-early', TIMESTAMP_NS '2026-01-01 00:00:01.000000300', 'syscall', 'p1', 10, 5, 0,
             NULL, 'read', 3, 't1', NULL)
          """);
      StoreSchema.migrate(c);

      assertEquals(7, count(s, "SELECT count(*) FROM events WHERE capture_id = 'c-folded'"));
      assertEquals(7, count(s, "SELECT count(*) FROM syscalls WHERE capture_id = 'c-folded'"));
      assertEquals(
          "sendto=3 write=2 read=1 writev=1",
          text(
              s,
              "SELECT string_agg(syscall || '=' || n, ' ' ORDER BY n DESC, syscall) FROM"
                  + " (SELECT syscall, count(*) n FROM events WHERE capture_id = 'c-folded'"
                  + " GROUP BY 1)"));
      // The twin's thread and stack moved onto the socket row, its peer hash stayed.
      assertEquals(
          "t1 77 a_peer",
          text(
              s,
              "SELECT thread_token || ' ' || stack_id || ' ' || peer_hash FROM events WHERE"
                  + " capture_id = 'c-folded' AND type = 'sendto' AND fd = 3"));
      assertEquals(
          "t2", text(s, "SELECT min(thread_token) FROM events WHERE type = 'socket_write'"));
      assertEquals(6, count(s, "SELECT event_count FROM captures WHERE capture_id = 'c-folded'"));

      // c-early: the twin is at another instant; rows stay, the view still counts calls once.
      assertEquals(3, count(s, "SELECT count(*) FROM events WHERE capture_id = 'c-early'"));
      assertEquals(2, count(s, "SELECT count(*) FROM syscalls WHERE capture_id = 'c-early'"));
      assertEquals(
          "c-early",
          text(s, "SELECT string_agg(capture_id, ',') FROM captures WHERE socket_calls_twinned"));
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
