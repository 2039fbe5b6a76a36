-- title: syscall latency percentiles by syscall and process
-- parameters: none
-- description: p50/p90/p99/max latency and error share per syscall and traced process, from the
--   syscalls view; a process whose p99 is far above its p50 is where to look first.
SELECT syscall,
       comm,
       process_token,
       count(*)                                             AS calls,
       round(quantile_cont(latency_us, 0.50), 1)            AS p50_us,
       round(quantile_cont(latency_us, 0.90), 1)            AS p90_us,
       round(quantile_cont(latency_us, 0.99), 1)            AS p99_us,
       round(max(latency_us), 1)                            AS max_us,
       round(avg(CASE WHEN errno <> 0 THEN 1 ELSE 0 END), 4) AS error_share
FROM syscalls
GROUP BY ALL
ORDER BY p99_us DESC;
