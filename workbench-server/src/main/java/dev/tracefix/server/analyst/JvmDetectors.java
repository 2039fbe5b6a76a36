package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hypotheses from JVM flight-recorder rows ({@code jvm_events}) beside the kernel's: a JVM whose
 * timeouts follow its own GC pauses or safepoints, bursts of one exception class, and bursts that
 * start with a new build.
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

  /** How long after a new build starts its exceptions count as its own burst. */
  private static final int NEW_BUILD_WINDOW_S = 60;

  /**
   * Per JVM process that took over a program from an earlier process, and per exception class it
   * threw: how often the program threw that class before the new process started, and how often the
   * new process threw it in its first minute.
   *
   * <p>A program is a comm and cgroup ({@code processes}); a JVM imported from a recording alone
   * has no cgroup and counts as program {@code java}. A deployment is told apart by the first of: a
   * build id no earlier process of the program had ({@code new_build}); an executable hash none had
   * ({@code new_exe}); else the process start itself. The store keeps the ELF build id of a
   * process's executable, which for a JVM is the java launcher's: it changes with the JDK, not with
   * the application's jars, so for JVMs the restart is usually what marks new code (a recording
   * imported alone has no build id at all).
   */
  static final String NEW_BUILD_EXCEPTIONS =
      """
      WITH thrown AS (
        SELECT process_token, object_class, time FROM jvm_events
        WHERE type IN ('jdk.JavaExceptionThrow', 'jdk.JavaErrorThrow') AND object_class IS NOT NULL),
      known AS (
        SELECT token, any_value(comm) AS comm, any_value(cgroup) AS cgroup,
               max(build_id) AS build_id, max(exe_hash) AS exe_hash
        FROM processes GROUP BY token),
      procs AS (
        SELECT j.process_token, coalesce(k.comm, 'java') AS comm, coalesce(k.cgroup, '') AS cgroup,
               k.build_id, k.exe_hash, min(j.time) AS first_t, max(j.time) AS last_t
        FROM jvm_events j LEFT JOIN known k ON k.token = j.process_token
        GROUP BY j.process_token, k.comm, k.cgroup, k.build_id, k.exe_hash),
      deploys AS (
        SELECT p.*,
          (SELECT min(q.first_t) FROM procs q WHERE q.comm = p.comm AND q.cgroup = p.cgroup)
            AS program_t,
          p.build_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM procs q
            WHERE q.comm = p.comm AND q.cgroup = p.cgroup AND q.first_t < p.first_t
              AND q.build_id IS NOT DISTINCT FROM p.build_id) AS new_build,
          p.exe_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM procs q
            WHERE q.comm = p.comm AND q.cgroup = p.cgroup AND q.first_t < p.first_t
              AND q.exe_hash IS NOT DISTINCT FROM p.exe_hash) AS new_exe
        FROM procs p
        WHERE EXISTS (SELECT 1 FROM procs q
          WHERE q.comm = p.comm AND q.cgroup = p.cgroup AND q.first_t < p.first_t)),
      rates AS (
        SELECT d.process_token, d.comm, d.cgroup, d.build_id, d.exe_hash, d.new_build, d.new_exe,
          d.first_t, c.object_class,
          date_diff('millisecond', d.program_t, d.first_t) / 1000 AS before_s,
          least(greatest(date_diff('millisecond', d.first_t, d.last_t) / 1000, 1), %1$d) AS after_s,
          (SELECT count(*) FROM thrown t JOIN procs q ON q.process_token = t.process_token
            WHERE q.comm = d.comm AND q.cgroup = d.cgroup AND t.object_class = c.object_class
              AND t.time < d.first_t) AS before_n,
          (SELECT count(*) FROM thrown t
            WHERE t.process_token = d.process_token AND t.object_class = c.object_class
              AND t.time < d.first_t + INTERVAL %1$d SECOND) AS after_n
        FROM deploys d
        JOIN (SELECT DISTINCT process_token, object_class FROM thrown) c
          ON c.process_token = d.process_token)
      SELECT process_token, comm, cgroup, object_class, build_id, exe_hash, new_build, new_exe,
             first_t::VARCHAR AS since, before_n, round(before_s)::BIGINT AS before_s, after_n,
             round(after_s)::BIGINT AS after_s, round(before_n / before_s, 2) AS before_per_s,
             round(after_n / after_s, 2) AS after_per_s
      FROM rates
      WHERE before_s >= 5 AND after_n >= 20 AND after_n / after_s >= 1
        AND after_n / after_s >= 5 * before_n / before_s
      """
          .formatted(NEW_BUILD_WINDOW_S);

  /**
   * A JVM program throws one exception class at least five times as often (and at least once a
   * second, 20 times or more) in the first minute of a new deployment as it did over the five
   * seconds or more before it: the burst starts with the new code, not later in its life.
   */
  static List<Finding> exceptionBurstsAtNewBuild(TraceStats stats) throws SQLException {
    if (!hasJvmRows(stats) || !stats.hasTable("processes")) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    for (var row : stats.rows(NEW_BUILD_EXCEPTIONS)) {
      Object token = row.get("process_token");
      String exception = String.valueOf(row.get("object_class"));
      String deployment = deployment(row);
      String cgroup = String.valueOf(row.get("cgroup"));
      String program =
          row.get("comm") + (cgroup.isEmpty() || cgroup.equals("/") ? "" : " (" + cgroup + ")");
      String statement =
          "%s throws %s %s a second in the first %d s of %s, from %s; %s a second over the %d s"
                  .formatted(
                      program,
                      exception,
                      row.get("after_per_s"),
                      asLong(row.get("after_s")),
                      deployment,
                      row.get("since"),
                      row.get("before_per_s"),
                      asLong(row.get("before_s")))
              + " before under the processes that ran it earlier";
      String evidence =
          "jdk.JavaExceptionThrow rows of %s: %d in the new process's first %d s, %d in the %d s"
                  .formatted(
                      exception,
                      asLong(row.get("after_n")),
                      asLong(row.get("after_s")),
                      asLong(row.get("before_n")),
                      asLong(row.get("before_s")))
              + " before; "
              + identifiedBy(row);
      String check =
          "SELECT * FROM ("
              + NEW_BUILD_EXCEPTIONS
              + ") WHERE process_token = "
              + literal(token)
              + " AND object_class = "
              + literal(exception);
      findings.add(
          new Finding(
              "jvm-exception-burst-new-build",
              new Hypothesis(statement, evidence, check),
              0.8,
              Set.of(Topic.CHANGE, Topic.ERRORS, Topic.BURSTS)));
    }
    return findings;
  }

  private static String deployment(Map<String, Object> row) {
    if (Boolean.TRUE.equals(row.get("new_build"))) {
      return "its new build " + shortId(row.get("build_id"));
    }
    if (Boolean.TRUE.equals(row.get("new_exe"))) {
      return "its new executable " + shortId(row.get("exe_hash"));
    }
    return "its new process " + shortId(row.get("process_token"));
  }

  /** Says what told the deployments apart, and why when it was not a build id. */
  private static String identifiedBy(Map<String, Object> row) {
    if (Boolean.TRUE.equals(row.get("new_build"))) {
      return "the new process runs a build id no earlier process of the program ran";
    }
    String why =
        row.get("build_id") == null
            ? "the store keeps no build id for this JVM"
            : "its build id is the java launcher's, the same as before (it changes with the JDK,"
                + " not the application's code)";
    if (Boolean.TRUE.equals(row.get("new_exe"))) {
      return why + ", so its new executable hash marks the new deployment";
    }
    return why + ", so the process start marks the new deployment";
  }

  private static String shortId(Object id) {
    String s = String.valueOf(id);
    return s.length() > 12 ? s.substring(0, 12) : s;
  }
}
