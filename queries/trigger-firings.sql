-- title: trigger firings and what they caught
-- parameters: $window_s = 1
-- description: each time a trigger rule turned richer probes on: the rule, when and for how long,
--   the failing events in the window before it fired, and what was recorded while it was on
--   (events with a stack, uprobe calls).
SELECT f.capture_id,
       f.rule,
       f.fired_at,
       round((epoch_ns(f.ended_at) - epoch_ns(f.fired_at)) / 1e9, 1) AS on_for_s,
       f.probes,
       (SELECT count(*) FROM events e
        WHERE e.capture_id = f.capture_id AND e.errno <> 0
          AND e.time BETWEEN f.fired_at - INTERVAL ($window_s) SECOND AND f.fired_at)
         AS failures_before,
       (SELECT count(*) FROM events e
        WHERE e.capture_id = f.capture_id AND e.time BETWEEN f.fired_at AND f.ended_at
          AND e.stack_id IS NOT NULL AND e.stack_id <> 0) AS events_with_stacks,
       (SELECT count(*) FROM events e
        WHERE e.capture_id = f.capture_id AND e.time BETWEEN f.fired_at AND f.ended_at
          AND e.type = 'uprobe') AS uprobe_calls
FROM trigger_firings f
ORDER BY f.fired_at
