package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 13: {@code syscall_stats}, default mode's in-kernel aggregates (one row per process,
 * syscall, errno and peer per drain interval: calls, summed latency and bytes, a log2 latency
 * histogram), and views that answer the same questions whether a capture streamed every call
 * ({@code --probes full}: per-call rows in {@code events}) or aggregated them (default mode: {@code
 * syscall_stats}, plus the failed and slow calls as events).
 *
 * <p>{@code syscall_latency_buckets}: calls per (capture, process, syscall, errno, peer, log2
 * bucket), from {@code syscall_stats} for the captures that have rows there, else from the per-call
 * rows of the {@code syscalls} view (bucket = floor(log2(duration_ns)), capped at 31 like the
 * kernel's). {@code syscall_totals}: per (capture, process, syscall, errno, peer) the calls, summed
 * latency and bytes, and p50/p90/p99 as the upper bound of the bucket the quantile falls in (within
 * a factor of two: exact per call only where per-call rows exist, in {@code syscalls}).
 */
final class SchemaV13 {
  private SchemaV13() {}

  static final List<String> DDL =
      List.of(
          """
          CREATE TABLE syscall_stats(
            capture_id VARCHAR,
            interval_start TIMESTAMP_NS,
            interval_end TIMESTAMP_NS,
            process_token VARCHAR,
            syscall VARCHAR,
            errno INTEGER,
            errno_name VARCHAR,
            peer_hash VARCHAR,
            calls BIGINT,
            total_ns BIGINT,
            bytes BIGINT,
            latency_buckets BIGINT[],
            key_id VARCHAR)
          """,
          """
          CREATE VIEW syscall_latency_buckets AS
          WITH aggregated AS (SELECT DISTINCT capture_id FROM syscall_stats),
          from_stats AS (
            SELECT capture_id, process_token, syscall, errno, errno_name, peer_hash,
                   generate_subscripts(latency_buckets, 1) - 1 AS bucket,
                   unnest(latency_buckets) AS calls
            FROM syscall_stats),
          from_calls AS (
            SELECT s.capture_id, s.process_token, s.syscall, s.errno, s.errno_name, s.peer_hash,
                   least(31, floor(log2(greatest(s.duration_ns, 1))))::INTEGER AS bucket,
                   1 AS calls
            FROM syscalls s
            WHERE s.capture_id NOT IN (SELECT capture_id FROM aggregated))
          SELECT capture_id, process_token, syscall, errno, errno_name, peer_hash, bucket,
                 (2::BIGINT << bucket) AS le_ns, sum(calls)::BIGINT AS calls
          FROM (SELECT * FROM from_stats UNION ALL SELECT * FROM from_calls)
          WHERE calls > 0
          GROUP BY ALL
          """,
          """
          CREATE VIEW syscall_totals AS
          WITH aggregated AS (SELECT DISTINCT capture_id FROM syscall_stats),
          sums AS (
            SELECT capture_id, process_token, syscall, errno, errno_name, peer_hash,
                   sum(calls)::BIGINT AS calls, sum(total_ns)::BIGINT AS total_ns,
                   sum(bytes)::BIGINT AS bytes, 'syscall_stats' AS source
            FROM syscall_stats GROUP BY ALL
            UNION ALL
            SELECT capture_id, process_token, syscall, errno, errno_name, peer_hash,
                   count(*) AS calls, sum(duration_ns)::BIGINT AS total_ns,
                   sum(bytes)::BIGINT AS bytes, 'events' AS source
            FROM syscalls
            WHERE capture_id NOT IN (SELECT capture_id FROM aggregated)
            GROUP BY ALL),
          cumulative AS (
            SELECT *, sum(calls) OVER (
                        PARTITION BY capture_id, process_token, syscall, errno, peer_hash
                        ORDER BY bucket) AS below,
                      sum(calls) OVER (
                        PARTITION BY capture_id, process_token, syscall, errno, peer_hash) AS n
            FROM syscall_latency_buckets),
          quantiles AS (
            SELECT capture_id, process_token, syscall, errno, peer_hash,
                   min(le_ns) FILTER (WHERE below >= 0.50 * n) AS p50_le_ns,
                   min(le_ns) FILTER (WHERE below >= 0.90 * n) AS p90_le_ns,
                   min(le_ns) FILTER (WHERE below >= 0.99 * n) AS p99_le_ns
            FROM cumulative GROUP BY ALL)
          SELECT s.capture_id, s.process_token, p.comm, s.syscall, s.errno, s.errno_name,
                 s.peer_hash, s.calls, s.total_ns, s.bytes,
                 round(s.total_ns / s.calls / 1e3, 1) AS avg_us,
                 q.p50_le_ns / 1e3 AS p50_le_us, q.p90_le_ns / 1e3 AS p90_le_us,
                 q.p99_le_ns / 1e3 AS p99_le_us, s.source
          FROM sums s
          LEFT JOIN quantiles q ON q.capture_id = s.capture_id
            AND q.process_token = s.process_token AND q.syscall = s.syscall
            AND q.errno IS NOT DISTINCT FROM s.errno
            AND q.peer_hash IS NOT DISTINCT FROM s.peer_hash
          LEFT JOIN processes p ON p.capture_id = s.capture_id AND p.token = s.process_token
          """);
}
