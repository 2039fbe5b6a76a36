-- title: TCP connections with resets or slow connects
-- parameters: $min_connect_ms = 0
-- description: one row per TCP connection of a traced process (from the tcp_connections view):
--   the states it went through, its connect latency, the resets it sent and received and the
--   retransmits to its peer; connections with a reset first, then the slowest connects.
SELECT capture_id,
       comm,
       connection_hash,
       local_port,
       remote_port,
       states,
       last_state,
       round(connect_ns / 1e6, 3)            AS connect_ms,
       resets_sent,
       resets_received,
       retransmits,
       first_seen,
       last_seen
FROM tcp_connections
WHERE resets_sent + resets_received > 0
   OR connect_ns >= $min_connect_ms * 1e6
ORDER BY resets_sent + resets_received DESC, connect_ns DESC NULLS LAST;
