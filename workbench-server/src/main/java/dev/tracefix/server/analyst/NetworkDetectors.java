package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asDouble;
import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;
import static dev.tracefix.server.analyst.TraceStats.micros;
import static dev.tracefix.server.analyst.TraceStats.percent;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hypotheses about the network between processes: loss with errors, retry storms, slow peers. */
final class NetworkDetectors {
  private NetworkDetectors() {}

  /**
   * A path that does not exist, asked of the file system: an interpreter searching its module path
   * or a shell its PATH makes dozens of these at start-up, and they are no retries.
   */
  static final String PATH_LOOKUP = "(peer_hash IS NULL AND errno_name IN ('ENOENT', 'ENOTDIR'))";

  private static final String TROUBLE =
      "('tcp_retransmit', 'tcp_reset_sent', 'tcp_reset_received')";

  /**
   * Errors that come in the same seconds as retransmits or resets, more often than the seconds with
   * retransmits or resets would give by chance.
   */
  static List<Finding> troubleWithErrors(TraceStats stats) throws SQLException {
    String sql =
        """
        WITH sec AS (
          SELECT date_trunc('second', time::TIMESTAMP) AS s,
            count(*) FILTER (WHERE coalesce(errno, 0) <> 0) AS errors,
            count(*) FILTER (WHERE type = 'tcp_retransmit') AS retransmits,
            count(*) FILTER (WHERE type IN ('tcp_reset_sent', 'tcp_reset_received')) AS resets
          FROM events GROUP BY 1)
        SELECT count(*) AS seconds,
          count(*) FILTER (WHERE errors > 0) AS error_seconds,
          count(*) FILTER (WHERE retransmits + resets > 0) AS trouble_seconds,
          count(*) FILTER (WHERE errors > 0 AND retransmits + resets > 0) AS both_seconds,
          sum(retransmits) AS retransmits, sum(resets) AS resets, sum(errors) AS errors
        FROM sec
        """;
    Map<String, Object> row = stats.rows(sql).getFirst();
    long seconds = asLong(row.get("seconds"));
    long errorSeconds = asLong(row.get("error_seconds"));
    long troubleSeconds = asLong(row.get("trouble_seconds"));
    long both = asLong(row.get("both_seconds"));
    long retransmits = asLong(row.get("retransmits"));
    long resets = asLong(row.get("resets"));
    if (errorSeconds < 3 || retransmits + resets < 3 || seconds == 0) {
      return List.of();
    }
    double together = (double) both / errorSeconds;
    double baseline = (double) troubleSeconds / seconds;
    if (together < 0.6 || together < 1.5 * baseline) {
      return List.of();
    }
    String what = resets > retransmits ? "TCP resets" : "TCP retransmits";
    String statement =
        "errors come with %s: %s of the seconds with errors also saw %s"
            .formatted(what, percent(together), what.substring(4));
    String evidence =
        ("%d of %d seconds with errors had retransmits or resets (%d retransmits, %d resets);"
                + " only %s of all %d seconds had any")
            .formatted(both, errorSeconds, retransmits, resets, percent(baseline), seconds);
    String check =
        """
        SELECT date_trunc('second', time::TIMESTAMP) AS second,
          count(*) FILTER (WHERE coalesce(errno, 0) <> 0) AS errors,
          count(*) FILTER (WHERE type IN %s) AS retransmits_and_resets
        FROM events GROUP BY 1
        HAVING count(*) FILTER (WHERE coalesce(errno, 0) <> 0) > 0
          AND count(*) FILTER (WHERE type IN %s) > 0
        ORDER BY 1"""
            .formatted(TROUBLE, TROUBLE);
    double strength = Math.min(0.9, together * Math.min(1.0, Math.log10(both + 1)));
    return List.of(
        new Finding(
            "network-trouble-with-errors",
            new Hypothesis(statement, evidence, check),
            strength,
            Set.of(Topic.NETWORK, Topic.ERRORS)));
  }

  /**
   * A retry storm: one client fails against one target again and again, faster and faster. The
   * target is the peer where the event names one, else the process's failing call.
   */
  static List<Finding> retryStorm(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String sql =
        """
        WITH span AS (SELECT min(time) AS t0, max(time) AS t1 FROM events),
        failures AS (
          SELECT process_token, coalesce(peer_hash, 'call:' || %s) AS target,
            any_value(errno_name) AS errno_name, time
          FROM events WHERE (coalesce(errno, 0) <> 0 AND NOT %s) OR type = 'tcp_reset_received'
          GROUP BY ALL),
        thirds AS (
          SELECT f.process_token, f.target, f.errno_name,
            least(2, floor(3 * (epoch_ns(f.time) - epoch_ns(t0))
              / greatest(1, epoch_ns(t1) - epoch_ns(t0))))::INTEGER AS third,
            (epoch_ns(t1) - epoch_ns(t0)) / 3e9 AS third_s
          FROM failures f, span)
        SELECT process_token, target, mode(errno_name) AS errno_name, count(*) AS failures,
          count(*) FILTER (WHERE third = 0) AS first_third,
          count(*) FILTER (WHERE third = 2) AS last_third, any_value(third_s) AS third_s
        FROM thirds GROUP BY process_token, target
        HAVING count(*) >= 20
        ORDER BY failures DESC LIMIT 3
        """
            .formatted(stats.call(""), PATH_LOOKUP);
    for (Map<String, Object> row : stats.rows(sql)) {
      long first = asLong(row.get("first_third"));
      long last = asLong(row.get("last_third"));
      if (last < 10 || last < 2 * Math.max(first, 1)) {
        continue;
      }
      double thirdSeconds = Math.max(asDouble(row.get("third_s")), 1e-3);
      String target = row.get("target").toString();
      String targetText =
          target.startsWith("call:")
              ? "its " + target.substring(5) + " calls"
              : "peer " + shortened(target);
      String errno = row.get("errno_name") == null ? "resets" : row.get("errno_name").toString();
      String process = stats.processName(row.get("process_token"));
      String statement =
          "retry storm: %s keeps retrying %s, failing with %s faster and faster"
              .formatted(process, targetText, errno);
      String evidence =
          "%d failures; %.1f/s in the first third of the capture, %.1f/s in the last"
              .formatted(asLong(row.get("failures")), first / thirdSeconds, last / thirdSeconds);
      String targetCondition =
          target.startsWith("call:")
              ? "peer_hash IS NULL AND " + stats.call("") + " = " + literal(target.substring(5))
              : "peer_hash = " + literal(target);
      String check =
          """
          WITH span AS (SELECT min(time) AS t0, max(time) AS t1 FROM events),
          f AS (
            SELECT least(2, floor(3 * (epoch_ns(time) - epoch_ns(t0))
              / greatest(1, epoch_ns(t1) - epoch_ns(t0))))::INTEGER AS third
            FROM events, span
            WHERE process_token = %s AND %s
              AND ((coalesce(errno, 0) <> 0 AND NOT %s) OR type = 'tcp_reset_received'))
          SELECT count(*) FILTER (WHERE third = 0) AS first_third,
            count(*) FILTER (WHERE third = 2) AS last_third
          FROM f
          HAVING count(*) >= 20
            AND count(*) FILTER (WHERE third = 2) >= 2 * greatest(1, count(*) FILTER (WHERE third = 0))"""
              .formatted(literal(row.get("process_token")), targetCondition, PATH_LOOKUP);
      double strength = Math.min(0.95, 0.5 + Math.log10((double) last / Math.max(first, 1)) / 2);
      findings.add(
          new Finding(
              "retry-storm",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.NETWORK, Topic.ERRORS, Topic.BURSTS)));
    }
    return findings;
  }

  /**
   * A slow dependency: one peer's calls got slower over the capture (median of the second half at
   * least 3x the first half) while the other peers' did not.
   */
  static List<Finding> slowDependency(TraceStats stats) throws SQLException {
    String sql =
        """
        WITH d AS (
          SELECT peer_hash, time, duration_ns FROM events
          WHERE peer_hash IS NOT NULL AND duration_ns > 0),
        span AS (SELECT min(time) AS t0, max(time) AS t1 FROM d),
        halves AS (
          SELECT peer_hash, epoch_ns(time) >= (epoch_ns(t0) + epoch_ns(t1)) / 2 AS late, duration_ns
          FROM d, span)
        SELECT peer_hash,
          median(duration_ns) FILTER (WHERE NOT late) AS early_p50,
          median(duration_ns) FILTER (WHERE late) AS late_p50,
          count(*) FILTER (WHERE NOT late) AS early_n, count(*) FILTER (WHERE late) AS late_n
        FROM halves GROUP BY peer_hash
        HAVING count(*) FILTER (WHERE NOT late) >= 10 AND count(*) FILTER (WHERE late) >= 10
        ORDER BY peer_hash
        """;
    List<Map<String, Object>> rows = stats.rows(sql);
    Map<String, Object> slowest = null;
    double worst = 0;
    int steadyOthers = 0;
    for (Map<String, Object> row : rows) {
      double ratio = asDouble(row.get("late_p50")) / Math.max(1, asDouble(row.get("early_p50")));
      if (ratio > worst) {
        worst = ratio;
        slowest = row;
      }
    }
    for (Map<String, Object> row : rows) {
      double ratio = asDouble(row.get("late_p50")) / Math.max(1, asDouble(row.get("early_p50")));
      if (row != slowest && ratio < 1.5) {
        steadyOthers++;
      }
    }
    if (slowest == null || worst < 3 || (rows.size() > 1 && steadyOthers < rows.size() - 1)) {
      return List.of();
    }
    String peer = slowest.get("peer_hash").toString();
    String statement =
        "slow dependency: calls to peer %s got %.0fx slower during the capture%s"
            .formatted(
                shortened(peer), worst, rows.size() > 1 ? " while other peers stayed steady" : "");
    String evidence =
        "median latency to this peer %s in the first half, %s in the second (%d and %d calls)"
            .formatted(
                micros(asDouble(slowest.get("early_p50"))),
                micros(asDouble(slowest.get("late_p50"))),
                asLong(slowest.get("early_n")),
                asLong(slowest.get("late_n")));
    String check =
        """
        WITH span AS (
          SELECT min(time) AS t0, max(time) AS t1 FROM events
          WHERE peer_hash IS NOT NULL AND duration_ns > 0),
        h AS (
          SELECT epoch_ns(time) >= (epoch_ns(t0) + epoch_ns(t1)) / 2 AS late, duration_ns
          FROM events, span WHERE peer_hash = %s AND duration_ns > 0)
        SELECT median(duration_ns) FILTER (WHERE NOT late) AS early_p50,
          median(duration_ns) FILTER (WHERE late) AS late_p50
        FROM h
        HAVING median(duration_ns) FILTER (WHERE late)
          >= 3 * median(duration_ns) FILTER (WHERE NOT late)"""
            .formatted(literal(peer));
    double strength = Math.min(0.9, 0.4 + Math.log10(worst) / 2);
    return List.of(
        new Finding(
            "slow-dependency",
            new Hypothesis(statement, evidence, check),
            strength,
            Set.of(Topic.LATENCY, Topic.NETWORK)));
  }

  private static String shortened(String peer) {
    return peer.length() > 10 ? peer.substring(0, 10) : peer;
  }
}
