-- title: syscall latency percentiles by syscall and process
-- parameters: none
-- description: p50/p90/p99/max latency and error share per syscall and traced process, from the
--   syscalls view: grouped by the syscall's name (the events' syscall column) where capture
--   recorded it, else by the older sendto/socket_write event type. A process whose p99 is far
--   above its p50 is where to look first.
SELECT syscall,
       comm,
       process_token,
       count(*)                                             AS calls,
       count(DISTINCT fd)                                   AS fds,
       round(quantile_cont(latency_us, 0.50), 1)            AS p50_us,
       round(quantile_cont(latency_us, 0.90), 1)            AS p90_us,
       round(quantile_cont(latency_us, 0.99), 1)            AS p99_us,
       round(max(latency_us), 1)                            AS max_us,
       round(avg(CASE WHEN errno <> 0 THEN 1 ELSE 0 END), 4) AS error_share
FROM syscalls
GROUP BY syscall, comm, process_token
ORDER BY p99_us DESC;
