-- title: error bursts over time
-- parameters: $bucket_seconds = 1
-- description: failed events per time bucket and errno, with the capture's median bucket for that
--   errno; burst marks buckets with at least 5 errors and 3x the median.
WITH per_bucket AS (
  SELECT capture_id,
         time_bucket(to_seconds($bucket_seconds), time::TIMESTAMP) AS bucket,
         errno_name,
         count(*)                                                 AS errors
  FROM events
  WHERE errno <> 0
  GROUP BY ALL
)
SELECT b.*,
       median(errors) OVER (PARTITION BY capture_id, errno_name)          AS median_errors,
       errors >= 5
         AND errors >= 3 * median(errors) OVER (PARTITION BY capture_id, errno_name) AS burst
FROM per_bucket b
ORDER BY bucket, errors DESC;
