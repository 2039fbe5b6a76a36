package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 4: the fields capture's syscall, TCP state, reset and process lifecycle events carry.
 * Column names are the snake_case of {@code SafeEvent}'s components, as the privacy policy and the
 * notebooks write them. Rows stored before this version read NULL in every new column.
 */
final class SchemaV4 {
  private SchemaV4() {}

  static final List<String> DDL =
      List.of(
          "ALTER TABLE events ADD COLUMN syscall VARCHAR",
          "ALTER TABLE events ADD COLUMN fd INTEGER",
          "ALTER TABLE events ADD COLUMN connection_hash VARCHAR",
          "ALTER TABLE events ADD COLUMN tcp_old_state VARCHAR",
          "ALTER TABLE events ADD COLUMN tcp_new_state VARCHAR",
          "ALTER TABLE events ADD COLUMN family INTEGER",
          "ALTER TABLE events ADD COLUMN protocol INTEGER",
          "ALTER TABLE events ADD COLUMN local_port INTEGER",
          "ALTER TABLE events ADD COLUMN remote_port INTEGER",
          "ALTER TABLE events ADD COLUMN local_hash VARCHAR",
          "ALTER TABLE events ADD COLUMN exit_status INTEGER",
          // Real syscall rows carry their name. A capture from before syscall events (or without
          // the syscall in its traced set) still shows its sendto and socket_write rows, named by
          // their type as before; where the same capture also traced that syscall by name, the
          // older row would count the call twice and is left out.
          """
          CREATE OR REPLACE VIEW syscalls AS
          WITH traced AS (
            SELECT DISTINCT capture_id, syscall FROM events WHERE type = 'syscall')
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
          """,
          // One row per TCP connection (connection_hash) seen by state changes or resets: its
          // endpoints, the states it went through, the connect latency (the duration the
          // SYN_SENT -> ESTABLISHED change carries), resets each way and retransmits to its peer.
          """
          CREATE VIEW tcp_connections AS
          WITH tcp AS (
            SELECT * FROM events
            WHERE type IN ('tcp_state', 'tcp_reset_sent', 'tcp_reset_received')
              AND connection_hash IS NOT NULL),
          per_connection AS (
            SELECT capture_id, connection_hash,
                   any_value(process_token ORDER BY time) AS process_token,
                   any_value(peer_hash ORDER BY time) FILTER (WHERE peer_hash IS NOT NULL)
                     AS peer_hash,
                   any_value(local_hash ORDER BY time) FILTER (WHERE local_hash IS NOT NULL)
                     AS local_hash,
                   max(family) AS family, max(protocol) AS protocol,
                   max(local_port) AS local_port, max(remote_port) AS remote_port,
                   min(time) AS first_seen, max(time) AS last_seen,
                   string_agg(tcp_new_state, ' -> ' ORDER BY time)
                     FILTER (WHERE type = 'tcp_state') AS states,
                   max(duration_ns) FILTER (WHERE type = 'tcp_state'
                     AND tcp_old_state = 'SYN_SENT' AND tcp_new_state = 'ESTABLISHED')
                     AS connect_ns,
                   count(*) FILTER (WHERE type = 'tcp_reset_sent') AS resets_sent,
                   count(*) FILTER (WHERE type = 'tcp_reset_received') AS resets_received,
                   any_value(tcp_new_state ORDER BY time DESC) FILTER (WHERE type = 'tcp_state')
                     AS last_state
            FROM tcp
            GROUP BY capture_id, connection_hash)
          SELECT c.*, p.comm, p.build_id, p.container,
                 (SELECT count(*) FROM events r
                  WHERE r.type = 'tcp_retransmit' AND r.capture_id = c.capture_id
                    AND r.peer_hash = c.peer_hash
                    AND r.time BETWEEN c.first_seen AND c.last_seen) AS retransmits
          FROM per_connection c
          LEFT JOIN processes p ON p.capture_id = c.capture_id AND p.token = c.process_token
          """);
}
