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

/** Hypotheses about timing and traffic: latency tails, retransmits per peer, busiest process. */
final class FlowDetectors {
  private FlowDetectors() {}

  /** A long latency tail: p99 or max far above the median for one event type. */
  static List<Finding> latencyTails(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String sql =
        """
        SELECT type, count(*) AS n, quantile_cont(duration_ns, 0.5) AS p50,
          quantile_cont(duration_ns, 0.99) AS p99, max(duration_ns) AS max
        FROM events WHERE duration_ns IS NOT NULL AND duration_ns > 0
        GROUP BY type HAVING count(*) >= 20 ORDER BY type
        """;
    for (Map<String, Object> row : stats.rows(sql)) {
      double p50 = asDouble(row.get("p50"));
      double p99 = asDouble(row.get("p99"));
      double max = asDouble(row.get("max"));
      if (p50 <= 0 || (p99 < 10 * p50 && max < 100 * p50)) {
        continue;
      }
      long threshold = (long) Math.ceil(10 * p50);
      String type = row.get("type").toString();
      String statement =
          "%s calls have a long latency tail: a few calls take over 10x the median".formatted(type);
      String evidence =
          "over %d %s calls: p50 %s, p99 %s, max %s"
              .formatted(asLong(row.get("n")), type, micros(p50), micros(p99), micros(max));
      String check =
          """
          SELECT process_token, count(*) AS slow_calls, max(duration_ns) AS max_ns
          FROM events WHERE type = %s AND duration_ns > %d
          GROUP BY process_token ORDER BY slow_calls DESC"""
              .formatted(literal(type), threshold);
      double strength = Math.min(1.0, Math.log10(Math.max(p99, max / 10) / p50) / 3);
      findings.add(
          new Finding(
              "latency-tail",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.LATENCY)));
    }
    return findings;
  }

  /** Retransmits that concentrate on one peer (a path problem) or spread over many (local). */
  static List<Finding> retransmitsByPeer(TraceStats stats) throws SQLException {
    String sql =
        """
        SELECT peer_hash, count(*) AS n, sum(count(*)) OVER () AS total,
          count(*) OVER () AS peers
        FROM events WHERE type = 'tcp_retransmit'
        GROUP BY peer_hash ORDER BY n DESC LIMIT 1
        """;
    List<Map<String, Object>> rows = stats.rows(sql);
    if (rows.isEmpty() || asLong(rows.getFirst().get("total")) < 3) {
      return List.of();
    }
    Map<String, Object> row = rows.getFirst();
    long n = asLong(row.get("n"));
    long total = asLong(row.get("total"));
    long peers = asLong(row.get("peers"));
    double share = (double) n / total;
    String peer = String.valueOf(row.get("peer_hash"));
    String shortPeer = peer.length() > 10 ? peer.substring(0, 10) : peer;
    String statement =
        share >= 0.5 && peers > 1
            ? "retransmits concentrate on peer %s: the path to that peer loses packets"
                .formatted(shortPeer)
            : "TCP retransmits occur (%d of them); packets are being lost or delayed"
                .formatted(total);
    String evidence =
        "%d of %d retransmits (%s) went to peer %s; %d peers saw retransmits"
            .formatted(n, total, percent(share), shortPeer, peers);
    String check =
        """
        SELECT peer_hash, count(*) AS retransmits FROM events WHERE type = 'tcp_retransmit'
        GROUP BY peer_hash HAVING count(*) >= %d ORDER BY retransmits DESC"""
            .formatted(n);
    double strength = Math.min(1.0, Math.log10(total + 1) / 2) * (peers > 1 ? share : 0.6);
    return List.of(
        new Finding(
            "retransmits-by-peer",
            new Hypothesis(statement, evidence, check),
            strength,
            Set.of(Topic.NETWORK)));
  }

  /** The busiest process: always derivable, so there is a hypothesis whenever there are events. */
  static List<Finding> busiestProcess(TraceStats stats) throws SQLException {
    String sql =
        """
        SELECT e.process_token, any_value(p.comm) AS comm, count(*) AS n,
          sum(count(*)) OVER () AS total
        FROM events e %s GROUP BY e.process_token ORDER BY n DESC, e.process_token LIMIT 1
        """
            .formatted(stats.processJoin());
    List<Map<String, Object>> rows = stats.rows(sql);
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, Object> row = rows.getFirst();
    long n = asLong(row.get("n"));
    long total = asLong(row.get("total"));
    double share = (double) n / total;
    String process = TraceStats.process(row.get("comm"), row.get("process_token"));
    String statement = "%s produces most of the traced activity; start there".formatted(process);
    String evidence =
        "%d of %d events (%s) come from this process".formatted(n, total, percent(share));
    String check =
        """
        SELECT process_token, type, count(*) AS events FROM events
        WHERE process_token = %s GROUP BY ALL ORDER BY events DESC"""
            .formatted(literal(row.get("process_token")));
    return List.of(
        new Finding(
            "busiest-process",
            new Hypothesis(statement, evidence, check),
            0.1 * share,
            Set.of(Topic.ACTIVITY)));
  }
}
