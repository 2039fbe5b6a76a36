-- title: the event sequence around an error
-- parameters: $errno_name (e.g. 'EPIPE'), $window_ms (e.g. 200)
-- description: every event of the same process within the window before and after the first
--   occurrence of the given errno, in time order.
WITH first_error AS (
  SELECT process_token, min(time) AS at
  FROM events
  WHERE errno_name = $errno_name
  GROUP BY process_token
)
SELECT e.time, e.type, e.duration_ns, e.bytes, e.errno_name, e.peer_hash
FROM events e
JOIN first_error f ON e.process_token = f.process_token
WHERE e.time BETWEEN f.at - to_milliseconds($window_ms) AND f.at + to_milliseconds($window_ms)
ORDER BY e.time;
