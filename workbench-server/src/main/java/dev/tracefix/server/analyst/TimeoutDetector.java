package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asDouble;
import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
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
 * meanwhile and the largest (slowest to serve) is the one still being answered; only requests over
 * twice their sender's median size count, so ordinary traffic pairs with nothing. Without
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

  /**
   * Failed replies paired with a request: the latest write by another process, larger than 90% of
   * that process's writes, in the second before the failure.
   */
  private static String lateRepliesSql(String call) {
    return """
        WITH typical AS (
          SELECT process_token, quantile_cont(bytes, 0.9) AS bytes FROM events WHERE bytes > 0 GROUP BY 1),
        failed AS (
          SELECT e.time, e.process_token, e.errno_name FROM events e
          WHERE e.errno_name IN ('EPIPE', 'ECONNRESET')
            AND %s IN ('sendto', 'socket_write', 'write', 'writev', 'sendmsg')),
        paired AS (
          SELECT f.time, f.process_token, f.errno_name,
            (SELECT max(o.time) FROM events o
              WHERE o.process_token <> f.process_token
                AND o.bytes > (SELECT t.bytes FROM typical t WHERE t.process_token = o.process_token)
                AND o.time BETWEEN f.time - INTERVAL 1 SECOND AND f.time) AS request_time
          FROM failed f)
        SELECT p.time, p.process_token, p.errno_name, p.request_time,
          (epoch_ns(p.time) - epoch_ns(p.request_time)) / 1e6 AS delay_ms
        FROM paired p WHERE p.request_time IS NOT NULL
        """
        .formatted(call);
  }

  /**
   * Failed replies that come a steady time after large requests, and later than a configured
   * timeout: the most common delay (10 ms buckets) must hold at least 3 and 30% of the pairs.
   */
  private static List<Finding> lateReplies(
      TraceStats stats, List<RepositoryTimeouts.Timeout> timeouts) throws SQLException {
    String sql =
        "WITH d AS ("
            + lateRepliesSql(stats.call("e"))
            + "),\n"
            + "b AS (SELECT process_token, any_value(errno_name) AS errno_name,"
            + " round(delay_ms / 10) * 10 AS bucket_ms, count(*) AS n, median(delay_ms) AS typical_ms"
            + " FROM d WHERE delay_ms > 0 GROUP BY process_token, bucket_ms),\n"
            + "tot AS (SELECT process_token, count(*) AS total FROM d GROUP BY 1)\n"
            + "SELECT b.*, tot.total FROM b JOIN tot USING (process_token)"
            + " QUALIFY row_number() OVER (PARTITION BY b.process_token ORDER BY b.n DESC, b.bucket_ms) = 1";
    List<Finding> findings = new ArrayList<>();
    for (Map<String, Object> row : stats.rows(sql)) {
      long n = asLong(row.get("n"));
      long total = asLong(row.get("total"));
      double typical = asDouble(row.get("typical_ms"));
      if (n < 3 || n < 0.3 * total) {
        continue; // no steady delay: the pairing found nothing
      }
      // The largest timeout the typical late reply still crosses: the one that explains it.
      RepositoryTimeouts.Timeout crossed =
          timeouts.stream().filter(t -> typical > t.value().toMillis()).findFirst().orElse(null);
      if (crossed == null) {
        continue;
      }
      long limit = crossed.value().toMillis();
      double bucket = asDouble(row.get("bucket_ms"));
      String process = stats.processName(row.get("process_token"));
      String errno = String.valueOf(row.get("errno_name"));
      String statement =
          ("%s's replies come %.0f ms after the request, past the %s timeout at %s%s;"
                  + " the client has given up, so the replies fail with %s")
              .formatted(
                  process,
                  typical,
                  human(crossed.value()),
                  crossed.where(),
                  history(crossed),
                  errno);
      String evidence =
          ("%d of %d failed replies by %s came %.0f ms (±10 ms) after the latest large request another"
                  + " process wrote; the configured line: %s")
              .formatted(n, total, process, typical, crossed.text());
      String check =
          "WITH d AS ("
              + lateRepliesSql(stats.call("e")).strip()
              + ")\n"
              + "SELECT time, errno_name, request_time, delay_ms FROM d\n"
              + "WHERE process_token = "
              + literal(row.get("process_token"))
              + " AND delay_ms > "
              + limit
              + " AND delay_ms BETWEEN "
              + (bucket - 10)
              + " AND "
              + (bucket + 10)
              + "\nORDER BY time";
      findings.add(
          new Finding(
              "latency-vs-timeout",
              new Hypothesis(statement, evidence, check),
              0.95,
              Set.of(Topic.LATENCY, Topic.ERRORS, Topic.CHANGE)));
    }
    return findings;
  }

  /** Calls whose p99 duration crosses a configured timeout while their median stays below it. */
  private static List<Finding> slowCalls(
      TraceStats stats, List<RepositoryTimeouts.Timeout> timeouts) throws SQLException {
    String sql =
        """
        SELECT %1$s AS call_name, count(*) AS n,
          quantile_cont(duration_ns, 0.5) / 1e6 AS p50_ms, quantile_cont(duration_ns, 0.99) / 1e6 AS p99_ms
        FROM events WHERE duration_ns > 0 AND type <> 'off_cpu'
        GROUP BY 1 HAVING count(*) >= 20 ORDER BY 1
        """
            .formatted(stats.call(""));
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
      String call = row.get("call_name").toString();
      String statement =
          "%s calls cross the %s timeout at %s%s: p99 %.1f ms, median %.2f ms"
              .formatted(call, human(crossed.value()), crossed.where(), history(crossed), p99, p50);
      String evidence =
          "over %d %s calls; the configured line: %s"
              .formatted(asLong(row.get("n")), call, crossed.text());
      String check =
          """
          SELECT %1$s AS call_name, count(*) AS over_timeout
          FROM events WHERE %1$s = %2$s AND duration_ns > %3$d
          GROUP BY 1"""
              .formatted(stats.call(""), literal(call), crossed.value().toNanos());
      findings.add(
          new Finding(
              "latency-vs-timeout",
              new Hypothesis(statement, evidence, check),
              0.8,
              Set.of(Topic.LATENCY)));
    }
    return findings;
  }

  private static String history(RepositoryTimeouts.Timeout t) {
    if (t.commit().isEmpty()) {
      return "";
    }
    String how =
        t.previous()
            .map(p -> (p.compareTo(t.value()) > 0 ? "lowered from " : "raised from ") + human(p))
            .orElse("set");
    return " (%s in %s \"%s\")"
        .formatted(how, t.commit().get().substring(0, 12), t.subject().orElse(""));
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 && ms >= 1000
        ? (ms / 1000) + " s"
        : String.format(Locale.ROOT, "%d ms", ms);
  }
}
