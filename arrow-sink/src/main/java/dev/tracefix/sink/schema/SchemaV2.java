package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 2: capture provenance, per-type ingest counts, stacks, the spool's ingest ledger and the
 * views that turn common questions into one-liners. Only adds columns and tables, so every query
 * written against version 1 still runs.
 */
final class SchemaV2 {
  private SchemaV2() {}

  static final List<String> DDL =
      List.of(
          "ALTER TABLE captures ADD COLUMN session_id VARCHAR",
          "ALTER TABLE captures ADD COLUMN kernel VARCHAR",
          "ALTER TABLE captures ADD COLUMN policy_hash VARCHAR",
          "ALTER TABLE captures ADD COLUMN key_ids VARCHAR[]",
          "ALTER TABLE captures ADD COLUMN attestation VARCHAR",
          // Container id parsed from the cgroup path, NULL outside a container.
          "ALTER TABLE processes ADD COLUMN container VARCHAR",
          "ALTER TABLE events ADD COLUMN stack_id BIGINT",
          """
          UPDATE processes SET container = nullif(regexp_extract(cgroup,
            '(?:docker|cri-containerd|crio|libpod)-([0-9a-f]{12,64})', 1), '')
          """,
          """
          CREATE TABLE stacks(
            capture_id VARCHAR,
            stack_id BIGINT,
            build_id VARCHAR,
            frames VARCHAR[])
          """,
          // One row per capture and event type; the sink's own drops (full queue, full disk) are
          // counted here, the kernel's ring-buffer drops stay in captures.drop_count.
          """
          CREATE TABLE capture_stats(
            capture_id VARCHAR,
            type VARCHAR,
            produced BIGINT,
            stored BIGINT,
            dropped BIGINT,
            PRIMARY KEY (capture_id, type))
          """,
          // The spool's ledger: a segment id is recorded in the transaction that inserts its rows,
          // so a segment left behind by a crash is never ingested twice.
          """
          CREATE TABLE spool_segments(
            segment_id VARCHAR PRIMARY KEY,
            capture_id VARCHAR,
            table_name VARCHAR,
            row_count BIGINT,
            ingested_at TIMESTAMP)
          """,
          """
          CREATE VIEW syscalls AS
          SELECT e.capture_id, e.time, e.type AS syscall, e.process_token, p.comm, p.build_id,
                 p.container, p.cgroup, e.duration_ns, e.duration_ns / 1e3 AS latency_us, e.bytes,
                 e.errno, e.errno_name, e.peer_hash
          FROM events e
          LEFT JOIN processes p ON p.capture_id = e.capture_id AND p.token = e.process_token
          WHERE e.type IN ('sendto', 'socket_write')
          """,
          """
          CREATE VIEW retransmits_per_connection AS
          SELECT capture_id, peer_hash, count(*) AS retransmits,
                 count(DISTINCT process_token) AS processes,
                 min(time) AS first_seen, max(time) AS last_seen
          FROM events
          WHERE type = 'tcp_retransmit'
          GROUP BY capture_id, peer_hash
          """,
          """
          CREATE VIEW process_event_sequences AS
          SELECT e.capture_id, e.process_token, p.comm, p.build_id,
                 row_number() OVER w AS seq, e.time,
                 epoch_ns(e.time) - epoch_ns(lag(e.time) OVER w) AS gap_ns,
                 e.type, e.duration_ns, e.bytes, e.errno, e.errno_name, e.peer_hash
          FROM events e
          LEFT JOIN processes p ON p.capture_id = e.capture_id AND p.token = e.process_token
          WINDOW w AS (PARTITION BY e.capture_id, e.process_token ORDER BY e.time)
          """,
          // A burst is a second with at least 5 errors of one errno and 3x that errno's median
          // second in the same capture.
          """
          CREATE VIEW error_bursts AS
          WITH per_second AS (
            SELECT capture_id, time_bucket(INTERVAL 1 SECOND, time::TIMESTAMP) AS second,
                   errno_name, count(*) AS errors
            FROM events
            WHERE errno <> 0
            GROUP BY ALL),
          typical AS (
            SELECT capture_id, errno_name, median(errors) AS median_errors
            FROM per_second
            GROUP BY ALL)
          SELECT s.capture_id, s.second, s.errno_name, s.errors, t.median_errors,
                 s.errors >= 5 AND s.errors >= 3 * t.median_errors AS burst
          FROM per_second s
          JOIN typical t ON t.capture_id = s.capture_id AND t.errno_name = s.errno_name
          """);
}
