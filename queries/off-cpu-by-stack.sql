-- title: off-CPU time by stack and wait state
-- parameters: $min_ms = 1
-- description: how long traced threads waited off the CPU (captured with --off-cpu), summed per
--   stack and wait state (sleeping, blocked on disk or a lock, preempted), for waits of at least
--   the given length: the lock, sleep or I/O a slow request is stuck in.
SELECT o.capture_id,
       o.wait_state,
       o.stack_id,
       count(*) AS waits,
       count(DISTINCT o.thread_token) AS threads,
       round(sum(o.off_cpu_ms), 1) AS total_ms,
       round(max(o.off_cpu_ms), 1) AS longest_ms,
       list_slice(s.frames, 1, 6) AS user_frames,
       list_slice(s.kernel_frames, 1, 4) AS kernel_frames
FROM off_cpu o
LEFT JOIN stacks s ON s.capture_id = o.capture_id AND s.stack_id = o.stack_id
WHERE o.off_cpu_ms >= $min_ms
GROUP BY o.capture_id, o.wait_state, o.stack_id, s.frames, s.kernel_frames
ORDER BY total_ms DESC
LIMIT 20
