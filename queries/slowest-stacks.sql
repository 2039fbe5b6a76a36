-- title: where the time goes, by stack
-- parameters: $type = 'syscall'
-- description: events of one type that carry a stack (captured with --stacks, or while a
--   trigger rule had stacks on), grouped by stack: how many, their total and p99 latency, and the
--   top of the user and kernel stacks. The first rows are the code paths an incident spends its
--   time in; frames are symbolized on the capturing host, never raw addresses.
SELECT e.capture_id,
       e.stack_id,
       count(*) AS events,
       round(sum(e.duration_ns) / 1e6, 3) AS total_ms,
       round(quantile_cont(e.duration_ns, 0.99) / 1e3, 1) AS p99_us,
       count(*) FILTER (WHERE e.errno <> 0) AS failed,
       list_slice(s.frames, 1, 6) AS user_frames,
       list_slice(s.kernel_frames, 1, 4) AS kernel_frames
FROM events e
JOIN stacks s ON s.capture_id = e.capture_id AND s.stack_id = e.stack_id
WHERE e.type = $type AND e.stack_id IS NOT NULL AND e.stack_id <> 0
GROUP BY e.capture_id, e.stack_id, s.frames, s.kernel_frames
ORDER BY total_ms DESC
LIMIT 20
