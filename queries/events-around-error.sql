-- title: the event sequence around an error
-- parameters: $errno_name = 'EPIPE', $window_ms = 200
-- description: every event of the same process within the window before and after the first
--   occurrence of the given errno, in time order, with its position in the process's sequence
--   and the gap since the process's previous event.
WITH first_error AS (
  SELECT capture_id, process_token, min(time) AS at
  FROM events
  WHERE errno_name = $errno_name
  GROUP BY ALL
)
SELECT s.capture_id, s.comm, s.seq, s.time, s.gap_ns, s.type, s.duration_ns, s.bytes,
       s.errno_name, s.peer_hash,
       s.time = f.at AS is_the_error
FROM process_event_sequences s
JOIN first_error f ON s.capture_id = f.capture_id AND s.process_token = f.process_token
WHERE s.time BETWEEN f.at - to_milliseconds($window_ms) AND f.at + to_milliseconds($window_ms)
ORDER BY s.capture_id, s.time;
