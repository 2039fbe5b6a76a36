package dev.tracefix.server.http;

import dev.tracefix.sink.schema.StoreSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A capture written into a store with the event store's own schema: a few known events (a connect
 * that times out, a TCP connection's state change and retransmit, a process exit), three symbolized
 * stacks (user frames with JIT-compiled Java and libjvm, kernel frames), and {@code bulk} generated
 * calls on eight threads over ten seconds, for the timeline's level of detail. Tokens and hashes
 * stand where a capture keeps them redacted.
 */
final class TraceStore {
  static final long START_NS = 1_740_823_200_000_000_000L; // 2025-03-01 10:00:00 UTC

  /** Events besides the bulk ones. */
  static final int KNOWN_EVENTS = 7;

  private TraceStore() {}

  static WorkbenchFixture.StoreSeed withBulk(int bulk) {
    return store -> seed(store, bulk);
  }

  private static void seed(Connection c, int bulk) throws SQLException {
    StoreSchema.migrate(c);
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO captures (capture_id, host, started_at, ended_at, event_count, drop_count,"
              + " key_id) VALUES ('c1', 'host-a', TIMESTAMP '2025-03-01 10:00:00',"
              + " TIMESTAMP '2025-03-01 10:00:11', "
              + (bulk + KNOWN_EVENTS)
              + ", 0, 'k1')");
      s.execute(
          "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id)"
              + " VALUES ('c1', 'p_checkout', 'checkout', 'b1', '/', 'e_1', 'k1'),"
              + " ('c1', 'p_inventory', 'inventory', 'b2', '/', 'e_2', 'k1')");
      s.execute(
          "INSERT INTO stacks (capture_id, stack_id, build_id, frames, kernel_frames) VALUES"
              + " ('c1', 11, 'b1', ['libc.so.6!__write+0x17', '[jit]!void Client.send(byte[])+0x2c',"
              + "   'libjvm.so!JavaCalls::call+0x40', 'java!main+0x1'],"
              + "  ['tcp_sendmsg+0x1f', '__sys_sendto+0x9', 'entry_SYSCALL_64_after_hwframe+0x76']),"
              + " ('c1', 12, 'b1', ['libc.so.6!__connect+0x1', '[jit]!void Client.connect()+0x10',"
              + "   'libjvm.so!JavaCalls::call+0x40', 'java!main+0x1'],"
              + "  ['tcp_v4_connect+0x3', 'entry_SYSCALL_64_after_hwframe+0x76']),"
              + " ('c1', 13, 'b1', ['libc.so.6!__read+0x5', '[jit]!int Client.receive()+0x10',"
              + "   'libjvm.so!JavaCalls::call+0x40', 'java!main+0x1'],"
              + "  ['tcp_recvmsg+0x2', 'entry_SYSCALL_64_after_hwframe+0x76'])");
      String columns =
          "(capture_id, time, type, process_token, thread_token, duration_ns, bytes, errno,"
              + " errno_name, key_id, syscall, fd, connection_hash, tcp_old_state, tcp_new_state,"
              + " stack_id)";
      // time is when an event completed: the connect below runs from 2 ms to 52 ms.
      s.execute(
          "INSERT INTO events "
              + columns
              + " VALUES"
              + known(
                  "1.2",
                  "syscall",
                  "p_checkout",
                  "'t_main'",
                  200_000,
                  0,
                  null,
                  "write",
                  null,
                  null,
                  null,
                  11)
              + ","
              + known(
                  "1.5",
                  "tcp_state",
                  "p_checkout",
                  "NULL",
                  0,
                  0,
                  null,
                  null,
                  "a_conn1",
                  "SYN_SENT",
                  "ESTABLISHED",
                  null)
              + ","
              + known(
                  "8",
                  "syscall",
                  "p_inventory",
                  "NULL",
                  3_000_000,
                  0,
                  null,
                  "accept4",
                  null,
                  null,
                  null,
                  11)
              + ","
              + known(
                  "30",
                  "tcp_retransmit",
                  "p_checkout",
                  "NULL",
                  0,
                  0,
                  null,
                  null,
                  "a_conn1",
                  null,
                  null,
                  null)
              + ","
              + known(
                  "52",
                  "syscall",
                  "p_checkout",
                  "'t_main'",
                  50_000_000,
                  110,
                  "ETIMEDOUT",
                  "connect",
                  null,
                  null,
                  null,
                  12)
              + ","
              + known(
                  "61",
                  "syscall",
                  "p_checkout",
                  "'t_main'",
                  1_000_000,
                  0,
                  null,
                  "read",
                  null,
                  null,
                  null,
                  13)
              + ","
              + known(
                  "100",
                  "process_exit",
                  "p_inventory",
                  "NULL",
                  0,
                  0,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
      if (bulk > 0) {
        s.execute(
            "INSERT INTO events "
                + columns
                + " SELECT 'c1', make_timestamp_ns("
                + START_NS
                + " + 200000000 + i * (10000000000 // "
                + bulk
                + ")), 'syscall', 'p_checkout', 't_bulk' || (i % 8),"
                + " 1000 + (i * 7919) % 100000, 64,"
                + " CASE WHEN i % 97 = 0 THEN 11 ELSE 0 END,"
                + " CASE WHEN i % 97 = 0 THEN 'EAGAIN' END, 'k1',"
                + " CASE WHEN i % 2 = 0 THEN 'write' ELSE 'read' END, 5, NULL, NULL, NULL,"
                + " CASE WHEN i % 2 = 0 THEN 11 ELSE 13 END"
                + " FROM range("
                + bulk
                + ") t(i)");
      }
    }
  }

  private static String known(
      String atMs,
      String type,
      String process,
      String thread,
      long durationNs,
      int errno,
      String errnoName,
      String syscall,
      String connection,
      String oldState,
      String newState,
      Integer stack) {
    return "('c1', make_timestamp_ns("
        + START_NS
        + " + CAST("
        + atMs
        + " * 1000000 AS BIGINT)), '"
        + type
        + "', '"
        + process
        + "', "
        + thread
        + ", "
        + durationNs
        + ", 0, "
        + errno
        + ", "
        + literal(errnoName)
        + ", 'k1', "
        + literal(syscall)
        + ", 3, "
        + literal(connection)
        + ", "
        + literal(oldState)
        + ", "
        + literal(newState)
        + ", "
        + (stack == null ? "NULL" : stack)
        + ")";
  }

  private static String literal(String value) {
    return value == null ? "NULL" : "'" + value + "'";
  }
}
