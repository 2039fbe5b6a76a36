package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;
import static dev.tracefix.server.analyst.TraceStats.percent;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hypotheses about change: failures that start with a new build of a program. */
final class ChangeDetectors {
  private ChangeDetectors() {}

  /**
   * A program (comm) ran under two or more build ids in the capture and the newest build fails far
   * more often than the ones before it.
   */
  static List<Finding> newBuildOnset(TraceStats stats) throws SQLException {
    if (!stats.hasTable("processes")) {
      return List.of();
    }
    String sql =
        """
        WITH procs AS (
          SELECT capture_id, token, any_value(comm) AS comm, any_value(build_id) AS build_id
          FROM processes WHERE build_id IS NOT NULL GROUP BY capture_id, token),
        per AS (
          SELECT p.comm, p.build_id, min(e.time) AS first_seen, count(*) AS calls,
            count(*) FILTER (WHERE coalesce(e.errno, 0) <> 0) AS errors
          FROM events e JOIN procs p ON p.token = e.process_token AND p.capture_id = e.capture_id
          GROUP BY ALL)
        SELECT comm, build_id, first_seen::VARCHAR AS first_seen, calls, errors FROM per
        WHERE comm IN (SELECT comm FROM per GROUP BY comm HAVING count(DISTINCT build_id) >= 2)
        ORDER BY comm, first_seen
        """;
    Map<String, List<Map<String, Object>>> byComm = new LinkedHashMap<>();
    for (Map<String, Object> row : stats.rows(sql)) {
      byComm.computeIfAbsent(String.valueOf(row.get("comm")), k -> new ArrayList<>()).add(row);
    }
    List<Finding> findings = new ArrayList<>();
    for (var entry : byComm.entrySet()) {
      List<Map<String, Object>> builds = entry.getValue();
      Map<String, Object> newest = builds.getLast();
      long oldCalls = 0;
      long oldErrors = 0;
      for (Map<String, Object> b : builds.subList(0, builds.size() - 1)) {
        oldCalls += asLong(b.get("calls"));
        oldErrors += asLong(b.get("errors"));
      }
      long newCalls = asLong(newest.get("calls"));
      long newErrors = asLong(newest.get("errors"));
      double newRate = newCalls == 0 ? 0 : (double) newErrors / newCalls;
      double oldRate = oldCalls == 0 ? 0 : (double) oldErrors / oldCalls;
      if (newErrors < 5 || newRate < 0.05 || newRate < 5 * oldRate || oldCalls < 10) {
        continue;
      }
      String comm = entry.getKey();
      String build = newest.get("build_id").toString();
      String shortBuild = build.length() > 12 ? build.substring(0, 12) : build;
      String statement =
          "%s fails since its new build %s (first seen %s): %s of its calls fail, %s before"
              .formatted(
                  comm, shortBuild, newest.get("first_seen"), percent(newRate), percent(oldRate));
      String evidence =
          "build %s: %d of %d calls failed; earlier builds: %d of %d"
              .formatted(shortBuild, newErrors, newCalls, oldErrors, oldCalls);
      String check =
          """
          WITH per AS (
            SELECT p.build_id, min(e.time) AS first_seen, count(*) AS calls,
              count(*) FILTER (WHERE coalesce(e.errno, 0) <> 0) AS errors
            FROM events e JOIN processes p
              ON p.token = e.process_token AND p.capture_id = e.capture_id
            WHERE p.comm = %s GROUP BY p.build_id)
          SELECT n.build_id, n.calls, n.errors,
            (SELECT sum(errors) FROM per o WHERE o.build_id <> n.build_id) AS errors_before,
            (SELECT sum(calls) FROM per o WHERE o.build_id <> n.build_id) AS calls_before
          FROM per n
          WHERE n.build_id = %s AND n.errors >= 5
            AND n.errors * coalesce((SELECT sum(calls) FROM per o WHERE o.build_id <> n.build_id), 0)
              >= 5 * n.calls * coalesce((SELECT sum(errors) FROM per o WHERE o.build_id <> n.build_id), 0)"""
              .formatted(literal(comm), literal(build));
      findings.add(
          new Finding(
              "new-build-onset",
              new Hypothesis(statement, evidence, check),
              0.85,
              Set.of(Topic.CHANGE, Topic.ERRORS)));
    }
    return findings;
  }
}
