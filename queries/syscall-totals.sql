-- title: syscall totals by process, in either capture mode
-- parameters: none
-- description: calls, failures, bytes and latency (average, and the log2 bucket p50/p99 fall in)
--   per syscall, errno and process, from the syscall_totals view: a default-mode capture answers
--   from its in-kernel aggregates (syscall_stats), a full capture from its per-call rows, the
--   same way. source says which. Percentiles are bucket upper bounds (within 2x); for exact ones
--   of a full capture use syscall-latency-by-process.sql.
SELECT syscall,
       comm,
       process_token,
       errno_name,
       sum(calls)                                   AS calls,
       sum(bytes)                                   AS bytes,
       round(sum(total_ns) / sum(calls) / 1e3, 1)   AS avg_us,
       max(p50_le_us)                               AS p50_le_us,
       max(p99_le_us)                               AS p99_le_us,
       any_value(source)                            AS source
FROM syscall_totals
GROUP BY syscall, comm, process_token, errno_name
ORDER BY calls DESC;
