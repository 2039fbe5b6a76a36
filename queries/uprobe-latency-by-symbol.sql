-- title: uprobe latency percentiles by symbol and binary
-- parameters: none
-- description: p50/p99/max duration of the probed functions (type='uprobe' rows) per symbol and
--   binary_hash (the keyed hash of the probed binary's path, the same as processes.exe_hash of a
--   process running it), with the number of calls and of processes that made them. A symbol whose
--   p99 is far above its p50 is where to look first.
SELECT symbol,
       binary_hash,
       count(*)                                               AS calls,
       count(DISTINCT process_token)                          AS processes,
       round(quantile_cont(duration_ns, 0.50) / 1e3, 1)       AS p50_us,
       round(quantile_cont(duration_ns, 0.99) / 1e3, 1)       AS p99_us,
       round(max(duration_ns) / 1e3, 1)                       AS max_us
FROM events
WHERE type = 'uprobe'
GROUP BY symbol, binary_hash
ORDER BY p99_us DESC;
