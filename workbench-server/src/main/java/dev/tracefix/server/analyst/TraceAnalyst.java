package dev.tracefix.server.analyst;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.run.CellOutput;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deterministic analyst behind {@code ask} cells: derives hypotheses from statistics of the
 * {@code events} and {@code processes} tables, each with a query that checks it, strongest first.
 * Words in the cell's {@code question} raise the hypotheses about the topics they name.
 */
public final class TraceAnalyst {

  private static final Map<Topic, List<String>> TOPIC_WORDS =
      Map.of(
          Topic.ERRORS, List.of("error", "fail", "errno", "epipe", "broken", "reset", "refused", "crash"),
          Topic.BURSTS, List.of("burst", "spike", "sudden", "when", "storm"),
          Topic.LATENCY, List.of("slow", "latency", "timeout", "hang", "stall", "p99", "delay"),
          Topic.NETWORK, List.of("retransmit", "network", "packet", "loss", "peer", "drop"),
          Topic.ACTIVITY, List.of("busy", "which process", "who"));

  /** Analyses the trace tables on {@code connection}; failures come back as an error output. */
  public CellOutput ask(Connection connection, Map<String, String> body) {
    String question = body.getOrDefault("question", "").toLowerCase(Locale.ROOT);
    TraceStats stats = new TraceStats(connection);
    try {
      if (!stats.hasTable("events")) {
        return new CellOutput.Error(
            "analyst", "there is no events table yet: capture or import a trace first", "");
      }
      List<Finding> findings = new ArrayList<>();
      findings.addAll(ErrorDetectors.errnoByProcess(stats));
      findings.addAll(ErrorDetectors.errorBursts(stats));
      findings.addAll(FlowDetectors.latencyTails(stats));
      findings.addAll(FlowDetectors.retransmitsByPeer(stats));
      findings.addAll(FlowDetectors.busiestProcess(stats));
      List<CellOutput.Hypothesis> ranked =
          findings.stream()
              .sorted(
                  Comparator.comparingDouble((Finding f) -> -score(f, question))
                      .thenComparing(f -> f.hypothesis().statement()))
              .map(Finding::hypothesis)
              .toList();
      return new CellOutput.Hypotheses(ranked);
    } catch (SQLException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new CellOutput.Error(
          "analyst",
          "could not read trace statistics: " + message.lines().findFirst().orElse(""),
          message);
    }
  }

  private static double score(Finding finding, String question) {
    double boost = 0;
    for (Topic topic : finding.topics()) {
      if (TOPIC_WORDS.get(topic).stream().anyMatch(question::contains)) {
        boost = 0.5;
      }
    }
    return finding.strength() + boost;
  }
}
