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
 * Failures that leave the transport clean: a client that exits with a failure status right after
 * request/reply exchanges with a service in which no call failed and nothing was reset. Whatever
 * went wrong was in what the service answered (a parser or serializer bug, a wrong value), which no
 * errno shows; the capture can still say who gave up on whose answers.
 */
final class AnswerDetectors {
  private AnswerDetectors() {}

  /** Calls that move a connection's data or open it. */
  static final String EXCHANGE_CALLS = "('sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'connect')";

  /** What a socket with a timeout says while it waits: no failure. */
  static final String WAITING = "('EINPROGRESS', 'EAGAIN', 'EALREADY', 'EINTR')";

  /**
   * Per process: its failing exit (status code, not a signal), the service port its connections
   * went to, the process that owns that port in the capture, and its exchanges and their errors.
   */
  private static final String FACTS =
      """
      WITH exits AS (
        SELECT process_token, max(exit_status) // 256 AS code, max(time) AS exited
        FROM events WHERE type = 'process_exit' AND exit_status > 0 AND exit_status %% 256 = 0
        GROUP BY process_token),
      ports AS (
        SELECT process_token, mode(remote_port) AS port FROM events
        WHERE type = 'tcp_state' AND remote_port > 0 GROUP BY process_token),
      owners AS (
        SELECT local_port, any_value(process_token) AS owner FROM events
        WHERE type = 'tcp_state' AND local_port > 0 AND remote_port = 0 GROUP BY local_port),
      streamed AS (
        SELECT process_token,
          count(*) FILTER (WHERE type IN ('sendto', 'socket_write') OR syscall IN %1$s) AS exchanges,
          count(*) FILTER (WHERE (type IN ('sendto', 'socket_write') OR syscall IN %1$s)
            AND coalesce(errno, 0) <> 0 AND coalesce(errno_name, '') NOT IN %3$s) AS failed,
          count(*) FILTER (WHERE type IN ('tcp_reset_sent', 'tcp_reset_received', 'tcp_retransmit')) AS trouble
        FROM events GROUP BY process_token),
      aggregated AS (%4$s),
      facts AS (
        SELECT x.process_token, x.code, p.port, o.owner,
          greatest(t.exchanges, coalesce(a.exchanges, 0)) AS exchanges,
          greatest(t.failed, coalesce(a.failed, 0)) AS failed, t.trouble
        FROM exits x JOIN ports p USING (process_token) JOIN streamed t USING (process_token)
        LEFT JOIN aggregated a USING (process_token)
        LEFT JOIN owners o ON o.local_port = p.port AND o.owner <> x.process_token)
      SELECT * FROM facts
      %2$s
      """;

  /**
   * Calls a default-mode capture counted in the kernel rather than streamed (all of them, failed
   * ones too, which are also streamed): per process, its exchanges and failed ones.
   */
  private static String aggregated(TraceStats stats) throws SQLException {
    return stats.hasTable("syscall_stats")
        ? ("SELECT process_token, sum(calls) FILTER (WHERE syscall IN %1$s) AS exchanges,"
                + " sum(calls) FILTER (WHERE syscall IN %1$s AND coalesce(errno, 0) <> 0"
                + " AND coalesce(errno_name, '') NOT IN %2$s) AS failed FROM syscall_stats GROUP BY process_token")
            .formatted(EXCHANGE_CALLS, WAITING)
        : "SELECT NULL::VARCHAR AS process_token, 0::BIGINT AS exchanges, 0::BIGINT AS failed WHERE false";
  }

  /** A client that fails after clean exchanges: it rejected what it was answered. */
  static List<Finding> rejectedAnswers(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    if (!stats.hasColumn("events", "exit_status") || !stats.hasColumn("events", "remote_port")) {
      return findings;
    }
    String sql =
        FACTS.formatted(
            EXCHANGE_CALLS,
            "WHERE exchanges >= 3 AND failed = 0 AND trouble = 0 ORDER BY exchanges DESC LIMIT 3",
            WAITING,
            aggregated(stats));
    for (Map<String, Object> row : stats.rows(sql)) {
      // Both ends are often the same program (two python3s): the token tells them apart.
      String client = named(stats, row.get("process_token"));
      long port = asLong(row.get("port"));
      String service =
          row.get("owner") == null
              ? "the service on port " + port
              : named(stats, row.get("owner")) + " (port " + port + ")";
      long exchanges = asLong(row.get("exchanges"));
      String statement =
          ("%s gave up on the answers of %s: it exited with status %d after %d clean exchanges,"
                  + " so what failed is what it was answered (the data), not the transport")
              .formatted(client, service, asLong(row.get("code")), exchanges);
      String evidence =
          ("%d sends, receives and connects on its connection, none failing (a socket waiting with"
                  + " EINPROGRESS or EAGAIN is not failing), no reset or retransmit;"
                  + " then exit status %d")
              .formatted(exchanges, asLong(row.get("code")));
      String check =
          FACTS
              .formatted(
                  EXCHANGE_CALLS,
                  "WHERE process_token = %s AND exchanges >= 3 AND failed = 0 AND trouble = 0"
                      .formatted(literal(row.get("process_token"))),
                  WAITING,
                  aggregated(stats))
              .strip();
      findings.add(
          new Finding(
              "rejected-answers",
              new Hypothesis(statement, evidence, check),
              0.75,
              Set.of(Topic.ERRORS, Topic.DATA)));
    }
    return findings;
  }

  /** Comm and short token: both ends are often the same program (two python3s). */
  private static String named(TraceStats stats, Object token) throws SQLException {
    String name = stats.processName(token);
    return name.endsWith("]") ? name : TraceStats.process(name, token);
  }
}
