-- title: JVM monitor contention versus off-CPU time
-- parameters: $min_ms = 0
-- description: per monitor class, the time Java threads were blocked entering a monitor
--   (jdk.JavaMonitorEnter) or parked (jdk.ThreadPark) and the off-CPU time the kernel measured
--   for the same threads inside those waits (a capture with --off-cpu): contention the JVM saw
--   and how the threads actually waited (sleeping on a futex, preempted).
WITH waits AS (
  SELECT capture_id, type, object_class, thread_token,
         time AS starts, time + to_microseconds(duration_ns // 1000) AS ends, duration_ns
  FROM jvm_events
  WHERE type IN ('jdk.JavaMonitorEnter', 'jdk.ThreadPark')
    AND duration_ns >= $min_ms * 1000000 AND thread_token IS NOT NULL
),
per_wait AS (
  SELECT w.capture_id, w.type, w.object_class, w.thread_token, w.starts, w.duration_ns,
         coalesce(sum(o.duration_ns), 0) AS off_cpu_ns,
         string_agg(DISTINCT o.wait_state, ', ') AS wait_states
  FROM waits w
  LEFT JOIN events o
    ON o.type = 'off_cpu' AND o.thread_token = w.thread_token
   AND o.time - to_microseconds(o.duration_ns // 1000) < w.ends
   AND o.time > w.starts
  GROUP BY ALL
)
SELECT capture_id, type, object_class,
       count(*) AS waits,
       count(DISTINCT thread_token) AS threads,
       round(sum(duration_ns) / 1e6, 2) AS java_blocked_ms,
       round(sum(off_cpu_ns) / 1e6, 2) AS off_cpu_ms,
       string_agg(DISTINCT wait_states, ', ') AS wait_states
FROM per_wait
GROUP BY ALL
ORDER BY java_blocked_ms DESC
