-- title: error bursts over time
-- parameters: none
-- description: failed syscalls per second and errno; a burst is a second with many more
--   errors than the capture's median second.
SELECT time_bucket(INTERVAL 1 SECOND, time::TIMESTAMP) AS second,
       errno_name,
       count(*)                                        AS errors
FROM events
WHERE errno <> 0
GROUP BY ALL
ORDER BY second, errors DESC;
