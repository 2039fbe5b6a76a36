package dev.tracefix.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.SinkException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {
  /** Fixture events are dated January 2026: keep them whatever today is. */
  private static final dev.tracefix.sink.StoreOptions KEEP_ALL_RETENTION =
      dev.tracefix.sink.StoreOptions.DEFAULT.withRetention(dev.tracefix.sink.Retention.KEEP_ALL);

  private static final String CHECKSUM =
      "SELECT (SELECT count(*) FROM events), (SELECT bit_xor(hash(capture_id, time, type,"
          + " process_token, duration_ns, bytes, errno, errno_name, peer_hash, key_id)) FROM"
          + " events), (SELECT bit_xor(hash(capture_id, token, comm, build_id, cgroup, exe_hash,"
          + " key_id)) FROM processes), (SELECT bit_xor(hash(capture_id, host, started_at,"
          + " ended_at, probes, event_count, drop_count, key_id, command_exit_code)) FROM"
          + " captures)";

  private static final String V4_COLUMNS_CHECKSUM =
      "SELECT bit_xor(hash(syscall, fd, connection_hash, tcp_old_state, tcp_new_state, family,"
          + " protocol, local_port, remote_port, local_hash, exit_status))::VARCHAR FROM events";

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
  void upgradesAVersionOneDatabaseKeepingItsData() throws Exception {
    Path db = tmp.resolve("v1.duckdb");
    String before;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      for (String ddl : v1Ddl().split(";\\s*\\n")) {
        if (!ddl.strip().replaceAll("(?m)^--.*$", "").isBlank()) {
          s.execute(ddl);
        }
      }
      s.execute(
          "INSERT INTO captures VALUES ('c-old', 'node-1', TIMESTAMP '2026-01-01 00:00:00',"
              + " TIMESTAMP '2026-01-01 00:01:00', ['tracepoint/x'], 10000, 3, 'k1', 0)");
      s.execute(
          "INSERT INTO processes VALUES ('c-old', 'tok-a', 'svc', 'b1d', "
              + "'/system.slice/docker-0123456789abcdef0123.scope', 'exe-a', 'k1'),"
              + " ('c-old', 'tok-b', 'cli', NULL, '/user.slice', 'exe-b', 'k1')");
      s.execute(
          "INSERT INTO events SELECT 'c-old', TIMESTAMP_NS '2026-01-01 00:00:00' +"
              + " to_microseconds(i), CASE WHEN i % 9 = 0 THEN 'tcp_retransmit' ELSE 'sendto' END,"
              + " CASE WHEN i % 2 = 0 THEN 'tok-a' ELSE 'tok-b' END, 1000 + i, i % 700, CASE WHEN i"
              + " % 30 = 0 THEN 32 ELSE 0 END, CASE WHEN i % 30 = 0 THEN 'EPIPE' END, 'peer-' || (i"
              + " % 5), 'k1' FROM range(10000) t(i)");
      before = checksum(s);
    }
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          StoreSchema.CURRENT_VERSION, scalar(s, "SELECT max(version) FROM schema_version"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM schema_version"));
      String after = checksum(s);
      System.out.println(
          "MigrationTest: v1 checksum "
              + before
              + " -> v"
              + StoreSchema.CURRENT_VERSION
              + " checksum "
              + after);
      assertEquals(before, after);
      assertEquals(
          1, scalar(s, "SELECT count(*) FROM processes WHERE container = '0123456789abcdef0123'"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM capture_stats"));
      assertTrue(scalar(s, "SELECT count(*) FROM syscalls WHERE comm = 'svc'") > 0);
      assertEquals(
          scalar(s, "SELECT count(*) FROM events WHERE type = 'tcp_retransmit'"),
          scalar(s, "SELECT sum(retransmits) FROM retransmits_per_connection"));
      // The old view still answers as before.
      assertEquals(
          scalar(s, "SELECT count(*) FROM events WHERE type = 'sendto'"),
          scalar(s, "SELECT count(*) FROM sendto_calls"));
    }
  }

  @Test
  void upgradesAVersionTwoDatabaseAddingTheDeletionAuditAndKeepingItsData() throws Exception {
    Path db = tmp.resolve("v2.duckdb");
    String before;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      for (String ddl : v1Ddl().split(";\\s*\\n")) {
        if (!ddl.strip().replaceAll("(?m)^--.*$", "").isBlank()) {
          s.execute(ddl);
        }
      }
      for (String ddl : SchemaV2.DDL) {
        s.execute(ddl);
      }
      s.execute("DELETE FROM schema_version");
      s.execute("INSERT INTO schema_version VALUES (2)");
      s.execute(
          "INSERT INTO captures (capture_id, host, started_at, event_count, key_id, session_id)"
              + " VALUES ('c-two', 'node-2', TIMESTAMP '2026-06-01 00:00:00', 500, 'k2', 's-1')");
      s.execute(
          "INSERT INTO processes VALUES ('c-two', 'tok-a', 'svc', 'b1d', '/svc.slice', 'exe-a',"
              + " 'k2', NULL)");
      s.execute(
          "INSERT INTO events SELECT 'c-two', TIMESTAMP_NS '2026-06-01 00:00:00' +"
              + " to_microseconds(i), 'sendto', 'tok-a', 1000 + i, i, 0, NULL, 'peer-' || (i % 3),"
              + " 'k2', i % 4 FROM range(500) t(i)");
      s.execute("INSERT INTO stacks VALUES ('c-two', 1, 'b1d', ['main'])");
      s.execute("INSERT INTO capture_stats VALUES ('c-two', 'sendto', 500, 500, 0)");
      before = checksum(s);
    }
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          StoreSchema.CURRENT_VERSION, scalar(s, "SELECT max(version) FROM schema_version"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM schema_version"));
      String after = checksum(s);
      System.out.println(
          "MigrationTest: v2 checksum "
              + before
              + " -> v"
              + StoreSchema.CURRENT_VERSION
              + " checksum "
              + after);
      assertEquals(before, after);
      assertEquals(0, scalar(s, "SELECT count(*) FROM deletions"));
      assertEquals(
          "at,subject_kind,subject_digest,table_name,rows",
          stringOf(
              s,
              "SELECT string_agg(column_name, ',' ORDER BY column_index) FROM duckdb_columns()"
                  + " WHERE table_name = 'deletions'"));
      assertEquals(500, scalar(s, "SELECT sum(stored) FROM capture_stats"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM stacks"));
    }
  }

  @Test
  void upgradesAVersionThreeDatabaseAddingTheNewEventColumnsAndKeepingItsData() throws Exception {
    Path db = tmp.resolve("v3.duckdb");
    String before;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      for (String ddl : v1Ddl().split(";\\s*\\n")) {
        if (!ddl.strip().replaceAll("(?m)^--.*$", "").isBlank()) {
          s.execute(ddl);
        }
      }
      for (String ddl : SchemaV2.DDL) {
        s.execute(ddl);
      }
      for (String ddl : SchemaV3.DDL) {
        s.execute(ddl);
      }
      s.execute("DELETE FROM schema_version");
      s.execute("INSERT INTO schema_version VALUES (3)");
      s.execute(
          "INSERT INTO captures (capture_id, host, started_at, event_count, key_id)"
              + " VALUES ('c-three', 'node-3', TIMESTAMP '2026-09-01 00:00:00', 900, 'k3')");
      s.execute(
          "INSERT INTO processes VALUES ('c-three', 'tok-a', 'svc', 'b1d', '/svc.slice',"
              + " 'exe-a', 'k3', NULL)");
      s.execute(
          "INSERT INTO events SELECT 'c-three',"
              + " TIMESTAMP_NS '2026-09-01 00:00:00' + to_microseconds(i),"
              + " CASE i % 3 WHEN 0 THEN 'sendto' WHEN 1 THEN 'socket_write'"
              + " ELSE 'tcp_retransmit' END, 'tok-a', 1000 + i, i, 0, NULL,"
              + " 'peer-' || (i % 3), 'k3', NULL FROM range(900) t(i)");
      s.execute("INSERT INTO capture_stats VALUES ('c-three', 'sendto', 300, 300, 0)");
      s.execute(
          "INSERT INTO deletions VALUES (TIMESTAMP '2026-09-02 00:00:00', 'token',"
              + " 'sha256:00', 'events', 3)");
      before = checksum(s);
    }
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          StoreSchema.CURRENT_VERSION, scalar(s, "SELECT max(version) FROM schema_version"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM schema_version"));
      String after = checksum(s);
      System.out.println(
          "MigrationTest: v3 checksum "
              + before
              + " -> v"
              + StoreSchema.CURRENT_VERSION
              + " checksum "
              + after);
      assertEquals(before, after);
      assertEquals(
          "syscall,fd,connection_hash,tcp_old_state,tcp_new_state,family,protocol,local_port,"
              + "remote_port,local_hash,exit_status",
          stringOf(
              s,
              "SELECT string_agg(column_name, ',' ORDER BY column_index) FROM duckdb_columns()"
                  + " WHERE table_name = 'events' AND column_index > 11 AND column_index < 23"));
      assertEquals(
          0,
          scalar(
              s,
              "SELECT count(*) FROM events WHERE (syscall IS NOT NULL AND type <> 'sendto')"
                  + " OR fd IS NOT NULL OR exit_status IS NOT NULL OR local_port IS NOT NULL"));
      // Version 12 names each socket row's syscall: a sendto row is a sendto call.
      assertEquals(300, scalar(s, "SELECT count(*) FROM events WHERE syscall = 'sendto'"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM deletions"));
      assertEquals(300, scalar(s, "SELECT sum(stored) FROM capture_stats"));
      // Old rows answer in the syscalls view, named by their type, as in version 3.
      assertEquals(600, scalar(s, "SELECT count(*) FROM syscalls"));
      assertEquals(300, scalar(s, "SELECT count(*) FROM syscalls WHERE syscall = 'sendto'"));
      assertEquals(0, scalar(s, "SELECT count(*) FROM tcp_connections"));

      // The capture held no twin rows when it was migrated (socket_calls_twinned is not set), so
      // syscall rows added later are calls of their own: the view counts every row.
      s.execute(
          "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno,"
              + " key_id, syscall, fd) SELECT 'c-three',"
              + " TIMESTAMP_NS '2026-09-01 00:01:00' + to_microseconds(i), 'syscall', 'tok-a',"
              + " 2000, 10, 0, 'k3', 'sendto', 7 FROM range(40) t(i)");
      assertEquals(340, scalar(s, "SELECT count(*) FROM syscalls WHERE syscall = 'sendto'"));
      assertEquals(300, scalar(s, "SELECT count(*) FROM syscalls WHERE syscall = 'socket_write'"));
      assertEquals(280, scalar(s, "SELECT sum(fd) / 1 FROM syscalls WHERE fd IS NOT NULL"));
    }
  }

  @Test
  void upgradesAVersionFourDatabaseAddingTheUprobeColumnsAndKeepingItsData() throws Exception {
    Path db = tmp.resolve("v4.duckdb");
    String before;
    String beforeV4Columns;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      for (String ddl : v1Ddl().split(";\\s*\\n")) {
        if (!ddl.strip().replaceAll("(?m)^--.*$", "").isBlank()) {
          s.execute(ddl);
        }
      }
      for (List<String> migration : List.of(SchemaV2.DDL, SchemaV3.DDL, SchemaV4.DDL)) {
        for (String ddl : migration) {
          s.execute(ddl);
        }
      }
      s.execute("DELETE FROM schema_version");
      s.execute("INSERT INTO schema_version VALUES (4)");
      s.execute(
          "INSERT INTO captures (capture_id, host, started_at, event_count, key_id)"
              + " VALUES ('c-four', 'node-4', TIMESTAMP '2026-10-01 00:00:00', 600, 'k4')");
      s.execute(
          "INSERT INTO processes VALUES ('c-four', 'tok-a', 'svc', 'b1d', '/svc.slice',"
              + " 'exe-a', 'k4', NULL)");
      s.execute(
          "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno,"
              + " peer_hash, key_id, syscall, fd, exit_status) SELECT 'c-four',"
              + " TIMESTAMP_NS '2026-10-01 00:00:00' + to_microseconds(i),"
              + " CASE WHEN i % 2 = 0 THEN 'syscall' ELSE 'sendto' END, 'tok-a', 1000 + i, i, 0,"
              + " 'peer-' || (i % 3), 'k4', CASE WHEN i % 2 = 0 THEN 'read' END, i % 10, -1"
              + " FROM range(600) t(i)");
      before = checksum(s);
      beforeV4Columns = stringOf(s, V4_COLUMNS_CHECKSUM);
    }
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          StoreSchema.CURRENT_VERSION, scalar(s, "SELECT max(version) FROM schema_version"));
      assertEquals(1, scalar(s, "SELECT count(*) FROM schema_version"));
      String after = checksum(s);
      System.out.println(
          "MigrationTest: v4 checksum "
              + before
              + " -> v"
              + StoreSchema.CURRENT_VERSION
              + " checksum "
              + after);
      assertEquals(before, after);
      assertEquals(beforeV4Columns, stringOf(s, V4_COLUMNS_CHECKSUM));
      assertEquals(
          "symbol,binary_hash",
          stringOf(
              s,
              "SELECT string_agg(column_name, ',' ORDER BY column_index) FROM duckdb_columns()"
                  + " WHERE table_name = 'events' AND column_index IN (23, 24)"));
      assertEquals(
          0,
          scalar(
              s,
              "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events'"
                  + " AND column_name = 'return_value'"),
          "a return value may be a raw address: the store has no column for it");
      assertEquals(
          0,
          scalar(
              s,
              "SELECT count(*) FROM events WHERE symbol IS NOT NULL OR binary_hash IS NOT NULL"));
      assertEquals(300, scalar(s, "SELECT count(*) FROM syscalls WHERE syscall = 'read'"));
    }
  }

  @Test
  void refusesADatabaseFromANewerTracefixNamingTheFile() throws Exception {
    Path db = tmp.resolve("future.duckdb");
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      s.execute("UPDATE schema_version SET version = 99");
    }
    SinkException e =
        assertThrows(SinkException.class, () -> EventStore.open(db, allocator, KEEP_ALL_RETENTION));
    System.out.println("MigrationTest newer: " + e.getMessage());
    assertEquals(SinkException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("newer tracefix (schema version 99"), e.getMessage());
  }

  private static String v1Ddl() throws Exception {
    try (InputStream in = MigrationTest.class.getResourceAsStream("/schema/v1.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String checksum(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery(CHECKSUM)) {
      rs.next();
      return rs.getString(1)
          + "/"
          + rs.getString(2)
          + "/"
          + rs.getString(3)
          + "/"
          + rs.getString(4);
    }
  }

  private static String stringOf(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long scalar(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
