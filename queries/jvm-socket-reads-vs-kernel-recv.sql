-- title: Java socket reads versus kernel receive latency
-- parameters: $min_ms = 0
-- description: each jdk.SocketRead the JVM recorded, with the receive and poll syscalls the
--   kernel saw on the same thread inside it: how much of a slow Java read was waiting for the
--   peer (poll, blocking read) and how much was spent outside the kernel (the JVM, a GC, the
--   scheduler). Needs the thresholds of jdk.SocketRead lowered to see fast reads.
WITH reads AS (
  SELECT capture_id, time AS starts, time + to_microseconds(duration_ns // 1000) AS ends,
         duration_ns, thread_token, thread_name, peer_hash, remote_port, bytes
  FROM jvm_events
  WHERE type = 'jdk.SocketRead' AND duration_ns >= $min_ms * 1000000
),
per_read AS (
  SELECT r.capture_id, r.starts, r.thread_name, r.peer_hash, r.remote_port, r.bytes,
         r.duration_ns,
         count(e.time) AS kernel_calls,
         string_agg(DISTINCT e.syscall, ', ' ORDER BY e.syscall) AS syscalls,
         coalesce(sum(e.duration_ns), 0) AS kernel_ns
  FROM reads r
  LEFT JOIN events e
    ON e.thread_token = r.thread_token
   AND e.syscall IN ('read', 'readv', 'recvfrom', 'recvmsg', 'poll', 'ppoll', 'epoll_wait',
                     'epoll_pwait', 'select', 'pselect6')
   AND e.time - to_microseconds(e.duration_ns // 1000) >= r.starts - INTERVAL 1 MILLISECOND
   AND e.time <= r.ends + INTERVAL 1 MILLISECOND
  GROUP BY r.capture_id, r.starts, r.thread_name, r.peer_hash, r.remote_port, r.bytes,
           r.duration_ns, r.thread_token
)
SELECT capture_id, starts AS read_at, thread_name, peer_hash, remote_port, bytes,
       round(duration_ns / 1e3, 1) AS java_read_us,
       kernel_calls, syscalls,
       round(kernel_ns / 1e3, 1) AS kernel_us,
       round(100.0 * kernel_ns / greatest(duration_ns, 1), 1) AS kernel_share_pct
FROM per_read
ORDER BY java_read_us DESC
