-- title: syscall latency during JVM GC pauses and safepoints
-- parameters: $min_calls = 1
-- description: for each JVM process with flight-recorder rows (jvm_events) and streamed syscalls
--   (events, a --probes full capture of the same process), the latency of each syscall while the
--   JVM was stopped in a GC pause or a safepoint versus the rest of the time: how much a stall
--   of the JVM shows up as slow I/O. A call counts as during a pause when its span overlaps one.
WITH pauses AS (
  SELECT process_token, time AS starts, time + to_microseconds(duration_ns // 1000) AS ends,
         CASE WHEN type = 'jdk.GCPhasePause' THEN 'gc pause' ELSE 'safepoint' END AS kind
  FROM jvm_events
  WHERE type IN ('jdk.GCPhasePause', 'jdk.SafepointBegin') AND duration_ns > 0
),
calls AS (
  SELECT e.capture_id, e.process_token, e.thread_token, e.syscall, e.duration_ns,
         e.time - to_microseconds(e.duration_ns // 1000) AS starts, e.time AS ends
  FROM events e
  WHERE e.syscall IS NOT NULL
    AND e.process_token IN (SELECT process_token FROM pauses)
),
labelled AS (
  SELECT c.*, (SELECT string_agg(DISTINCT p.kind, ', ' ORDER BY p.kind) FROM pauses p
               WHERE p.process_token = c.process_token
                 AND p.starts <= c.ends AND p.ends >= c.starts) AS during
  FROM calls c
)
SELECT capture_id, process_token, syscall,
       coalesce(during, 'running') AS jvm_was,
       count(*) AS calls,
       round(avg(duration_ns) / 1e3, 1) AS avg_us,
       round(quantile_cont(duration_ns, 0.9) / 1e3, 1) AS p90_us,
       round(max(duration_ns) / 1e3, 1) AS max_us
FROM labelled
GROUP BY ALL
HAVING count(*) >= $min_calls
ORDER BY capture_id, process_token, syscall, jvm_was
