-- title: sendto latency percentiles by process
-- parameters: none
-- description: p50/p99/max latency and error share of sendto calls per traced process;
--   a process whose p99 is far above its p50 is where to look first.
SELECT p.comm,
       e.process_token,
       count(*)                                               AS calls,
       round(quantile_cont(e.duration_ns, 0.50) / 1e3, 1)     AS p50_us,
       round(quantile_cont(e.duration_ns, 0.99) / 1e3, 1)     AS p99_us,
       round(max(e.duration_ns) / 1e3, 1)                     AS max_us,
       round(avg(CASE WHEN e.errno <> 0 THEN 1 ELSE 0 END), 4) AS error_share
FROM events e
LEFT JOIN processes p ON p.token = e.process_token AND p.capture_id = e.capture_id
WHERE e.type = 'sendto'
GROUP BY ALL
ORDER BY p99_us DESC;
