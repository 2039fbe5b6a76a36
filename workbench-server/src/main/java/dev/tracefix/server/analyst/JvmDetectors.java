package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hypotheses from JVM flight-recorder rows ({@code jvm_events}) beside the kernel's: a JVM whose
 * timeouts follow its own GC pauses or safepoints, and bursts of one exception class.
 */
final class JvmDetectors {
  /** Pauses shorter than this do not explain a timeout. */
  private static final long MIN_PAUSE_NS = 10_000_000;

  /** How long after a pause ends a timeout still counts as caused by it. */
  private static final int AFTER_PAUSE_MS = 100;

  private JvmDetectors() {}

  /** Most stores hold no JVM rows: their detectors' joins are not worth running there. */
  private static boolean hasJvmRows(TraceStats stats) throws SQLException {
    return stats.hasTable("jvm_events")
        && !stats.rows("SELECT 1 FROM jvm_events LIMIT 1").isEmpty();
  }

  /**
   * Timeouts (ETIMEDOUT, or a Java exception named for a timeout) each during or just after a
   * pause.
   */
  static final String PAUSE_TIMEOUTS =
      """
      WITH pauses AS (
        SELECT process_token, time AS starts,
               time + to_microseconds(duration_ns // 1000) + INTERVAL %d MILLISECOND AS until,
               duration_ns
        FROM jvm_events
        WHERE type IN ('jdk.GCPhasePause', 'jdk.SafepointBegin', 'jdk.GarbageCollection')
          AND duration_ns >= %d),
      timeouts AS (
        SELECT process_token, time FROM events WHERE errno_name = 'ETIMEDOUT'
        UNION ALL
        SELECT process_token, time FROM jvm_events
        WHERE type IN ('jdk.JavaExceptionThrow', 'jdk.JavaErrorThrow')
          AND object_class ILIKE '%%timeout%%')
      SELECT t.process_token, count(*) AS timeouts,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM pauses p WHERE p.process_token = t.process_token
                 AND t.time BETWEEN p.starts AND p.until)) AS after_pause,
             (SELECT count(*) FROM pauses p WHERE p.process_token = t.process_token) AS pauses,
             (SELECT max(duration_ns) FROM pauses p WHERE p.process_token = t.process_token)
               AS longest_pause_ns
      FROM timeouts t
      WHERE t.process_token IN (SELECT process_token FROM pauses)
      GROUP BY t.process_token
      """
          .formatted(AFTER_PAUSE_MS, MIN_PAUSE_NS);

  /** Most of a JVM's timeouts come during or right after its GC pauses or safepoints. */
  static List<Finding> pauseTimeouts(TraceStats stats) throws SQLException {
    if (!hasJvmRows(stats)) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    for (var row : stats.rows(PAUSE_TIMEOUTS)) {
      long timeouts = asLong(row.get("timeouts"));
      long afterPause = asLong(row.get("after_pause"));
      if (afterPause < 3 || afterPause * 2 < timeouts) {
        continue;
      }
      Object token = row.get("process_token");
      String name = stats.processName(token);
      double longestMs = asLong(row.get("longest_pause_ns")) / 1e6;
      String statement =
          "%s times out when its JVM stops: %d of its %d timeouts came during a GC pause or"
                  .formatted(name, afterPause, timeouts)
              + " safepoint or within %d ms after one (longest pause %.1f ms)"
                  .formatted(AFTER_PAUSE_MS, longestMs);
      String evidence =
          "%d pauses of at least %d ms in jvm_events; timeouts: ETIMEDOUT calls and Java"
                  .formatted(asLong(row.get("pauses")), MIN_PAUSE_NS / 1_000_000)
              + " exceptions named for a timeout";
      String check =
          "SELECT * FROM ("
              + PAUSE_TIMEOUTS
              + ") WHERE process_token = "
              + literal(token)
              + " AND after_pause >= 3 AND after_pause * 2 >= timeouts";
      findings.add(
          new Finding(
              "jvm-pause-timeouts",
              new Hypothesis(statement, evidence, check),
              0.8,
              Set.of(Topic.LATENCY, Topic.ERRORS)));
    }
    return findings;
  }

  /** Per process and exception class: its busiest second and what it threw before that. */
  static final String EXCEPTION_SECONDS =
      """
      WITH per_s AS (
        SELECT process_token, object_class, date_trunc('second', time) AS s, count(*) AS n
        FROM jvm_events
        WHERE type IN ('jdk.JavaExceptionThrow', 'jdk.JavaErrorThrow') AND object_class IS NOT NULL
        GROUP BY ALL),
      span AS (
        SELECT process_token, min(date_trunc('second', time)) AS first_s
        FROM jvm_events GROUP BY ALL),
      peak AS (
        SELECT process_token, object_class, max(n) AS peak_n,
               min(s) FILTER (WHERE n >= 20) AS onset
        FROM per_s GROUP BY ALL)
      SELECT k.process_token, k.object_class, k.peak_n, k.onset::VARCHAR AS onset,
             (SELECT coalesce(sum(n), 0) FROM per_s b WHERE b.process_token = k.process_token
                AND b.object_class = k.object_class AND b.s < k.onset) AS before_n,
             date_diff('second', sp.first_s, k.onset) AS seconds_before
      FROM peak k JOIN span sp ON sp.process_token = k.process_token
      WHERE k.peak_n >= 20
      """;

  /**
   * A JVM starts throwing one exception class at least five times as fast as it did before (over
   * five seconds or more of its recording), at 20 a second or more.
   */
  static List<Finding> exceptionBursts(TraceStats stats) throws SQLException {
    if (!hasJvmRows(stats)) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    for (var row : stats.rows(EXCEPTION_SECONDS)) {
      long seconds = asLong(row.get("seconds_before"));
      long before = asLong(row.get("before_n"));
      long peak = asLong(row.get("peak_n"));
      if (seconds < 5 || peak < 5 * Math.max(1.0, (double) before / seconds)) {
        continue;
      }
      Object token = row.get("process_token");
      String exception = String.valueOf(row.get("object_class"));
      String statement =
          "%s bursts %s from %s: up to %d a second, against %.1f a second over the %d s before"
              .formatted(
                  stats.processName(token),
                  exception,
                  row.get("onset"),
                  peak,
                  (double) before / seconds,
                  seconds);
      String evidence = "jdk.JavaExceptionThrow rows of %s per second".formatted(exception);
      String check =
          "SELECT * FROM ("
              + EXCEPTION_SECONDS
              + ") WHERE process_token = "
              + literal(token)
              + " AND object_class = "
              + literal(exception)
              + " AND seconds_before >= 5 AND peak_n >= 5 * greatest(1, before_n / seconds_before)";
      findings.add(
          new Finding(
              "jvm-exception-burst",
              new Hypothesis(statement, evidence, check),
              0.75,
              Set.of(Topic.ERRORS, Topic.BURSTS)));
    }
    return findings;
  }
}
