package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asDouble;
import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.run.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Latency against the timeouts the target repository configures: a latency the trace shows that
 * crosses a configured timeout (and, where git knows, the commit that set it) is a hypothesis.
 *
 * <p>Two latencies are read from the trace. Per call type, the p99 of syscall durations. And for
 * replies that fail because the peer is gone (EPIPE, ECONNRESET on a write), how long after the
 * request they answer were they written: the request is taken to be the largest write another
 * process made in the second before, since a client that times out sends its next requests
 * meanwhile and the largest (slowest to serve) is the one still being answered. Without
 * connection ids in the trace this pairing is an estimate; the check query shows each pair.
 */
final class TimeoutDetector {
  private TimeoutDetector() {}

  static List<Finding> crossings(TraceStats stats, List<RepositoryTimeouts.Timeout> timeouts)
      throws SQLException {
    List<RepositoryTimeouts.Timeout> usable =
        timeouts.stream()
            .filter(t -> t.value().toMillis() >= 1 && t.value().compareTo(Duration.ofHours(1)) < 0)
            .sorted(Comparator.comparing(RepositoryTimeouts.Timeout::value).reversed())
            .toList();
    if (usable.isEmpty()) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    findings.addAll(lateReplies(stats, usable));
    findings.addAll(slowCalls(stats, usable));
    return findings;
  }

  private static String lateRepliesSql(String processJoin) {
    return """
        WITH failed AS (
          SELECT e.time, e.process_token, e.errno_name FROM events e
          WHERE e.errno_name IN ('EPIPE', 'ECONNRESET')
            AND coalesce(e.syscall, e.type) IN ('sendto', 'socket_write', 'write', 'writev', 'sendmsg')),
        paired AS (
          SELECT f.time, f.process_token, f.errno_name,
            (SELECT arg_max(o.time, o.bytes) FROM events o
              WHERE o.process_token <> f.process_token AND o.bytes > 0
                AND o.time BETWEEN f.time - INTERVAL 1 SECOND AND f.time) AS request_time
          FROM failed f)
        SELECT p.time, p.process_token, p.errno_name, p.request_time,
          (epoch_ns(p.time) - epoch_ns(p.request_time)) / 1e6 AS delay_ms
        FROM paired p WHERE p.request_time IS NOT NULL
        """;
  }

  /** Failed replies written later than a timeout after the request they answer. */
  private static List<Finding> lateReplies(TraceStats stats, List<RepositoryTimeouts.Timeout> timeouts)
      throws SQLException {
    String sql =
        "WITH d AS (" + lateRepliesSql(stats.processJoin()) + ")"
            + " SELECT d.process_token, any_value(d.errno_name) AS errno_name, count(*) AS replies,"
            + " median(delay_ms) AS p50_ms, min(delay_ms) AS min_ms, max(delay_ms) AS max_ms"
            + " FROM d GROUP BY d.process_token HAVING count(*) >= 3 ORDER BY replies DESC LIMIT 3";
    List<Finding> findings = new ArrayList<>();
    for (Map<String, Object> row : stats.rows(sql)) {
      double p50 = asDouble(row.get("p50_ms"));
      // The largest timeout the typical late reply still crosses: the one that explains it.
      RepositoryTimeouts.Timeout crossed =
          timeouts.stream().filter(t -> p50 > t.value().toMillis()).findFirst().orElse(null);
      if (crossed == null) {
        continue;
      }
      long limit = crossed.value().toMillis();
      String process = processName(stats, row.get("process_token"));
      String errno = String.valueOf(row.get("errno_name"));
      String statement =
          ("%s's replies come %.0f ms after the request (median), past the %s timeout at %s%s;"
                  + " the client has given up, so the replies fail with %s")
              .formatted(process, p50, human(crossed.value()), crossed.where(), history(crossed), errno);
      String evidence =
          "%d failed replies by %s; from the largest request written in the second before, they came %.0f to %.0f ms later (median %.0f); the configured line: %s"
              .formatted(asLong(row.get("replies")), process, asDouble(row.get("min_ms")),
                  asDouble(row.get("max_ms")), p50, crossed.text());
      String check =
          "WITH d AS (" + lateRepliesSql("").strip() + ")\n"
              + "SELECT time, errno_name, request_time, delay_ms FROM d\n"
              + "WHERE process_token = " + literal(row.get("process_token"))
              + " AND delay_ms > " + limit + "\nORDER BY time";
      findings.add(
          new Finding("latency-vs-timeout", new Hypothesis(statement, evidence, check), 0.95,
              Set.of(Topic.LATENCY, Topic.ERRORS, Topic.CHANGE)));
    }
    return findings;
  }

  /** Calls whose p99 duration crosses a configured timeout while their median stays below it. */
  private static List<Finding> slowCalls(TraceStats stats, List<RepositoryTimeouts.Timeout> timeouts)
      throws SQLException {
    String sql =
        """
        SELECT coalesce(syscall, type) AS call, count(*) AS n,
          quantile_cont(duration_ns, 0.5) / 1e6 AS p50_ms, quantile_cont(duration_ns, 0.99) / 1e6 AS p99_ms
        FROM events WHERE duration_ns > 0 AND type <> 'off_cpu'
        GROUP BY 1 HAVING count(*) >= 20 ORDER BY 1
        """;
    List<Finding> findings = new ArrayList<>();
    for (Map<String, Object> row : stats.rows(sql)) {
      double p50 = asDouble(row.get("p50_ms"));
      double p99 = asDouble(row.get("p99_ms"));
      RepositoryTimeouts.Timeout crossed =
          timeouts.stream()
              .filter(t -> p99 > t.value().toMillis() && p50 < t.value().toMillis())
              .findFirst()
              .orElse(null);
      if (crossed == null) {
        continue;
      }
      String call = row.get("call").toString();
      String statement =
          "%s calls cross the %s timeout at %s%s: p99 %.1f ms, median %.2f ms"
              .formatted(call, human(crossed.value()), crossed.where(), history(crossed), p99, p50);
      String evidence =
          "over %d %s calls; the configured line: %s".formatted(asLong(row.get("n")), call, crossed.text());
      String check =
          """
          SELECT coalesce(syscall, type) AS call, count(*) AS over_timeout
          FROM events WHERE coalesce(syscall, type) = %s AND duration_ns > %d
          GROUP BY 1"""
              .formatted(literal(call), crossed.value().toNanos());
      findings.add(
          new Finding("latency-vs-timeout", new Hypothesis(statement, evidence, check), 0.8,
              Set.of(Topic.LATENCY)));
    }
    return findings;
  }

  private static String processName(TraceStats stats, Object token) throws SQLException {
    if (stats.hasTable("processes")) {
      var rows = stats.rows("SELECT any_value(comm) AS comm FROM processes WHERE token = " + literal(token));
      if (!rows.isEmpty() && rows.getFirst().get("comm") != null) {
        return rows.getFirst().get("comm").toString();
      }
    }
    return TraceStats.process(null, token);
  }

  private static String history(RepositoryTimeouts.Timeout t) {
    if (t.commit().isEmpty()) {
      return "";
    }
    String how =
        t.previous()
            .map(p -> (p.compareTo(t.value()) > 0 ? "lowered from " : "raised from ") + human(p))
            .orElse("set");
    return " (%s in %s \"%s\")".formatted(how, t.commit().get().substring(0, 12), t.subject().orElse(""));
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 && ms >= 1000 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%d ms", ms);
  }
}
