-- title: TCP retransmits by peer and build
-- parameters: none
-- description: retransmitted segments per hashed peer address and per build id of the
--   sending process (retransmits are counted by the kernel, so the process may be unknown).
SELECT e.peer_hash,
       coalesce(p.build_id, '(kernel)') AS build_id,
       count(*)                         AS retransmits,
       min(e.time)                      AS first_seen,
       max(e.time)                      AS last_seen
FROM events e
LEFT JOIN processes p ON p.token = e.process_token AND p.capture_id = e.capture_id
WHERE e.type = 'tcp_retransmit'
GROUP BY ALL
ORDER BY retransmits DESC;
