package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asDouble;
import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;
import static dev.tracefix.server.analyst.TraceStats.percent;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hypotheses about failing calls: which process fails how, and whether failures come in bursts. */
final class ErrorDetectors {
  private ErrorDetectors() {}

  /** The errno that dominates a process's calls of one type. */
  static List<Finding> errnoByProcess(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    // A default-mode capture streams only failed and slow syscalls: its calls are counted in
    // syscall_stats, and the share of failures is taken over those, not over the streamed rows.
    String aggregated =
        stats.hasTable("syscall_stats")
            ? "SELECT process_token, 'syscall' AS type, sum(calls) AS calls FROM syscall_stats"
                + " GROUP BY ALL"
            : "SELECT NULL::VARCHAR AS process_token, NULL::VARCHAR AS type, 0 AS calls WHERE false";
    String sql =
        """
        WITH calls AS (
          SELECT e.process_token, p.comm, e.type, e.errno_name, coalesce(e.errno, 0) <> 0 AS failed
          FROM events e %s),
        aggregated AS (%s)
        SELECT process_token, any_value(comm) AS comm, type, errno_name, count(*) AS failures,
          coalesce(
            (SELECT sum(a.calls) FROM aggregated a
              WHERE a.process_token = c.process_token AND a.type = c.type),
            (SELECT count(*) FROM calls c2
              WHERE c2.process_token = c.process_token AND c2.type = c.type)) AS calls
        FROM calls c WHERE failed
        GROUP BY process_token, type, errno_name ORDER BY failures DESC LIMIT 3
        """
            .formatted(stats.processJoin(), aggregated);
    for (Map<String, Object> row : stats.rows(sql)) {
      long failures = asLong(row.get("failures"));
      long calls = asLong(row.get("calls"));
      double share = calls == 0 ? 0 : (double) failures / calls;
      String errno = row.get("errno_name") == null ? "an error" : row.get("errno_name").toString();
      String process = TraceStats.process(row.get("comm"), row.get("process_token"));
      String statement =
          "%s fails %s with %s in %s of its calls"
              .formatted(process, row.get("type"), errno, percent(share));
      String evidence =
          "%d of %d %s calls by this process returned %s"
              .formatted(failures, calls, row.get("type"), errno);
      String check =
          """
          SELECT process_token, type, count(*) FILTER (WHERE errno_name = %s) AS failures,
            count(*) AS calls
          FROM events WHERE process_token = %s AND type = %s
          GROUP BY process_token, type
          HAVING count(*) FILTER (WHERE errno_name = %s) > 0"""
              .formatted(
                  literal(errno),
                  literal(row.get("process_token")),
                  literal(row.get("type")),
                  literal(errno));
      // strong when most calls fail and there are enough of them to rule out chance
      double strength = share * Math.min(1.0, Math.log10(failures + 1) / 2);
      findings.add(
          new Finding(
              "errno-by-process",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.ERRORS)));
    }
    return findings;
  }

  /** Errors concentrated in one second, compared with the average rate over the capture. */
  static List<Finding> errorBursts(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String sql =
        """
        WITH span AS (
          SELECT greatest(1, ceil(epoch(max(time)::TIMESTAMP - min(time)::TIMESTAMP)) + 1) AS seconds
          FROM events),
        per_second AS (
          SELECT errno_name, date_trunc('second', time::TIMESTAMP) AS second, count(*) AS errors
          FROM events WHERE coalesce(errno, 0) <> 0 GROUP BY ALL),
        ranked AS (
          SELECT *, sum(errors) OVER (PARTITION BY errno_name) AS total,
            row_number() OVER (PARTITION BY errno_name ORDER BY errors DESC, second) AS rank
          FROM per_second)
        SELECT errno_name, second::VARCHAR AS second, errors AS peak, total, span.seconds AS seconds
        FROM ranked, span WHERE rank = 1 ORDER BY peak DESC LIMIT 3
        """;
    for (Map<String, Object> row : stats.rows(sql)) {
      long peak = asLong(row.get("peak"));
      long total = asLong(row.get("total"));
      double seconds = asDouble(row.get("seconds"));
      double average = total / seconds;
      if (peak < 3 || peak < 3 * average) {
        continue;
      }
      String errno = row.get("errno_name") == null ? "errors" : row.get("errno_name").toString();
      String statement =
          "%s errors come in a burst around %s rather than spread over the capture"
              .formatted(errno, row.get("second"));
      String evidence =
          "%d of %d %s errors fell in the second starting %s; the average is %.1f per second over %.0f s"
              .formatted(peak, total, errno, row.get("second"), average, seconds);
      String check =
          """
          SELECT date_trunc('second', time::TIMESTAMP) AS second, count(*) AS errors
          FROM events WHERE errno_name = %s
          GROUP BY 1 HAVING count(*) >= %d ORDER BY 1"""
              .formatted(literal(errno), peak);
      double strength =
          Math.min(1.0, (peak / Math.max(average, 0.1)) / 20) * ((double) peak / total);
      findings.add(
          new Finding(
              "errno-burst",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.BURSTS, Topic.ERRORS)));
    }
    return findings;
  }

  /**
   * Errors of one errno that begin partway through: steady traffic without them first, then a run
   * of them. The onset is the time to line up with a deploy, a config push or a peer's restart.
   */
  static List<Finding> errorOnset(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String sql =
        """
        WITH span AS (SELECT min(time) AS t0, max(time) AS t1 FROM events),
        errs AS (
          SELECT errno_name, min(time) AS onset, count(*) AS errors
          FROM events WHERE coalesce(errno, 0) <> 0 AND errno_name IS NOT NULL GROUP BY errno_name)
        SELECT errno_name, onset::VARCHAR AS onset, errors,
          (epoch_ns(onset) - epoch_ns(t0)) / 1e9 AS quiet_s,
          (epoch_ns(t1) - epoch_ns(t0)) / 1e9 AS span_s,
          (SELECT count(*) FROM events e WHERE e.time < errs.onset) AS calls_before
        FROM errs, span WHERE errors >= 5 ORDER BY onset
        """;
    for (Map<String, Object> row : stats.rows(sql)) {
      double quiet = asDouble(row.get("quiet_s"));
      double span = asDouble(row.get("span_s"));
      long before = asLong(row.get("calls_before"));
      long errors = asLong(row.get("errors"));
      if (quiet < 2 || quiet < 0.2 * span || before < 20) {
        continue;
      }
      String errno = row.get("errno_name").toString();
      String onset = row.get("onset").toString();
      String statement =
          "%s errors begin at %s: none in the first %.0f s of traffic, %d after"
              .formatted(errno, onset, quiet, errors);
      String evidence =
          "%d calls ran without %s before %s; %d %s errors from then on"
              .formatted(before, errno, onset, errors, errno);
      String check =
          """
          SELECT min(time) AS onset, count(*) AS errors FROM events
          WHERE errno_name = %s
          HAVING min(time) >= TIMESTAMP %s
            AND (SELECT count(*) FROM events WHERE time < TIMESTAMP %s) >= 20"""
              .formatted(literal(errno), literal(onset), literal(onset));
      double strength = Math.min(0.9, 0.4 + quiet / span / 2);
      findings.add(
          new Finding(
              "errno-onset",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.ERRORS, Topic.BURSTS, Topic.CHANGE)));
    }
    return findings;
  }
}
