-- title: TCP retransmits by cgroup and build
-- parameters: none
-- description: retransmitted segments per cgroup (container) and build id of the process the
--   kernel charged them to, with the connections involved; '(kernel)' when no traced process
--   owned the socket.
SELECT coalesce(p.cgroup, '(kernel)')   AS cgroup,
       p.container,
       coalesce(p.build_id, '(none)')   AS build_id,
       count(*)                         AS retransmits,
       count(DISTINCT e.peer_hash)      AS connections,
       min(e.time)                      AS first_seen,
       max(e.time)                      AS last_seen
FROM events e
LEFT JOIN processes p ON p.token = e.process_token AND p.capture_id = e.capture_id
WHERE e.type = 'tcp_retransmit'
GROUP BY ALL
ORDER BY retransmits DESC;
