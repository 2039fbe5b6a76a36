-- title: process lineage (forks and execs)
-- parameters: $comm = 'workload'
-- description: the processes that started as the given program and everything they became: the
--   children they forked (child_token of process_fork) and the programs they executed
--   (previous_token of process_exec, a new token per program), generation by generation, with
--   the link that led to each and when it happened.
WITH RECURSIVE links AS (
  SELECT capture_id, process_token AS from_token, child_token AS to_token, 'fork' AS via, time
  FROM events
  WHERE type = 'process_fork' AND child_token IS NOT NULL
  UNION ALL
  SELECT capture_id, previous_token, process_token, 'exec', time
  FROM events
  WHERE type = 'process_exec' AND previous_token IS NOT NULL
),
lineage(capture_id, token, via, from_token, linked_at, depth, path) AS (
  SELECT capture_id, token, 'start', NULL::VARCHAR, NULL::TIMESTAMP_NS, 0, [token]
  FROM processes
  WHERE comm = $comm
  UNION ALL
  SELECT l.capture_id, k.to_token, k.via, l.token, k.time, l.depth + 1,
         list_append(l.path, k.to_token)
  FROM lineage l
  JOIN links k ON k.capture_id = l.capture_id AND k.from_token = l.token
  WHERE NOT list_contains(l.path, k.to_token) AND l.depth < 64
)
SELECT l.capture_id,
       l.depth,
       l.via,
       l.from_token,
       l.token,
       p.comm,
       p.exe_hash,
       p.build_id,
       l.linked_at
FROM lineage l
LEFT JOIN processes p ON p.capture_id = l.capture_id AND p.token = l.token
ORDER BY l.capture_id, l.depth, l.linked_at, l.token;
