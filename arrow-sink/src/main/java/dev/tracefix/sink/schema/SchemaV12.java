package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 12: one row per socket call. Captures that traced both the socket and the syscalls groups
 * stored each sendto and socket write twice: a {@code sendto}/{@code socket_write} row (peer hash,
 * bytes) and a {@code syscall} row (name, thread, stack) at the same nanosecond. From this version
 * the socket row is the call's only row and names its syscall.
 *
 * <p>The migration folds each such pair into the socket row (name, thread token and stack taken
 * from the syscall twin) and deletes the twin, so {@code count(*)} over {@code events} counts
 * calls; {@code captures.event_count} loses the deleted rows. Captures from before the probes were
 * folded into raw_syscalls recorded the two rows at different instants, which cannot be paired row
 * by row: they are marked {@code socket_calls_twinned} and the {@code syscalls} view keeps counting
 * each of their calls once, as it did.
 */
final class SchemaV12 {
  private SchemaV12() {}

  /** A call of v12_twins ({@code w}) is the call of the row {@code alias}: same instant and fd. */
  private static String sameCall(String alias) {
    return ("w.capture_id = %1$s.capture_id AND w.time = %1$s.time"
            + " AND w.process_token = %1$s.process_token AND w.fd IS NOT DISTINCT FROM %1$s.fd")
        .formatted(alias);
  }

  static final List<String> DDL =
      List.of(
          "ALTER TABLE captures ADD COLUMN socket_calls_twinned BOOLEAN",
          // The pairs, found once: each socket row's syscall twin, with what the twin knows.
          """
          CREATE TEMP TABLE v12_twins AS
          SELECT t.capture_id, t.time, t.process_token, t.fd, t.syscall, t.thread_token, t.stack_id
          FROM events t, events s
          WHERE t.type = 'syscall' AND s.type IN ('sendto', 'socket_write')
            AND t.capture_id = s.capture_id AND t.process_token = s.process_token
            AND t.time = s.time AND t.fd IS NOT DISTINCT FROM s.fd
            AND t.syscall IN ('sendto', 'write', 'writev')
          """,
          "UPDATE events s SET syscall = w.syscall,"
              + " thread_token = coalesce(s.thread_token, w.thread_token),"
              + " stack_id = coalesce(s.stack_id, w.stack_id)"
              + " FROM v12_twins w WHERE s.type IN ('sendto', 'socket_write') AND "
              + sameCall("s"),
          """
          UPDATE captures c SET event_count = c.event_count - n.twins
          FROM (SELECT capture_id, count(*) AS twins FROM v12_twins GROUP BY 1) n
          WHERE c.capture_id = n.capture_id AND c.event_count IS NOT NULL
          """,
          "DELETE FROM events t WHERE t.type = 'syscall' AND t.syscall IN ('sendto', 'write',"
              + " 'writev') AND EXISTS (SELECT 1 FROM v12_twins w WHERE "
              + sameCall("t")
              + ")",
          "DROP TABLE v12_twins",
          "UPDATE events SET syscall = 'sendto' WHERE type = 'sendto' AND syscall IS NULL",
          // What is left twinned: a socket row and a syscall row of the same name in one capture.
          """
          UPDATE captures c SET socket_calls_twinned = true
          WHERE EXISTS (
            SELECT 1 FROM events s, events t
            WHERE s.capture_id = c.capture_id AND t.capture_id = c.capture_id
              AND t.type = 'syscall'
              AND ((s.type = 'sendto' AND t.syscall = 'sendto')
                OR (s.type = 'socket_write' AND s.syscall IS NULL
                    AND t.syscall IN ('write', 'writev'))))
          """,
          """
          CREATE OR REPLACE VIEW syscalls AS
          WITH traced AS (
            SELECT DISTINCT e.capture_id, e.syscall FROM events e
            JOIN captures c ON c.capture_id = e.capture_id AND c.socket_calls_twinned
            WHERE e.type = 'syscall')
          SELECT e.capture_id, e.time, coalesce(e.syscall, e.type) AS syscall, e.process_token,
                 p.comm, p.build_id, p.container, p.cgroup, e.duration_ns,
                 e.duration_ns / 1e3 AS latency_us, e.bytes, e.errno, e.errno_name, e.peer_hash,
                 e.fd, e.type AS source_type
          FROM events e
          LEFT JOIN processes p ON p.capture_id = e.capture_id AND p.token = e.process_token
          WHERE e.type = 'syscall'
             OR (e.type = 'sendto' AND NOT EXISTS (
                   SELECT 1 FROM traced t
                   WHERE t.capture_id = e.capture_id AND t.syscall = 'sendto'))
             OR (e.type = 'socket_write' AND NOT EXISTS (
                   SELECT 1 FROM traced t
                   WHERE t.capture_id = e.capture_id AND t.syscall IN ('write', 'writev')))
          """);
}
