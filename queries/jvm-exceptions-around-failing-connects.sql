-- title: Java exceptions around failing connects and timeouts
-- parameters: $window_ms = 200
-- description: each failed connect, send or receive the kernel saw (connection refused, reset,
--   timed out, unreachable, broken pipe) beside the exceptions the JVM threw on the same thread
--   within the window before and after it: which Java exception (and message, scrubbed) a socket
--   error became, or that it was swallowed. Joins on the thread token kernel and JVM rows share.
WITH failures AS (
  SELECT capture_id, time, process_token, thread_token, coalesce(syscall, type) AS call,
         errno_name
  FROM events
  WHERE errno_name IN ('ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH',
                       'ENETUNREACH', 'EPIPE', 'ECONNABORTED')
    AND thread_token IS NOT NULL
)
SELECT f.capture_id, f.time AS failed_at, f.thread_token, f.call, f.errno_name,
       j.time AS thrown_at,
       round(epoch_ns(j.time) / 1e6 - epoch_ns(f.time) / 1e6, 3) AS offset_ms,
       j.thread_name, j.object_class, j.message
FROM failures f
LEFT JOIN jvm_events j
  ON j.thread_token = f.thread_token
 AND j.type IN ('jdk.JavaExceptionThrow', 'jdk.JavaErrorThrow')
 AND j.time BETWEEN f.time - to_milliseconds($window_ms) AND f.time + to_milliseconds($window_ms)
ORDER BY f.capture_id, f.time, j.time
