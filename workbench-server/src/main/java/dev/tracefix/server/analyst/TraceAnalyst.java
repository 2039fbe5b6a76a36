package dev.tracefix.server.analyst;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The deterministic analyst behind {@code ask} cells: derives hypotheses from statistics of the
 * {@code events} and {@code processes} tables (and, given the target repository, its configured
 * timeouts), each with a query that checks it, strongest first; the workbench then runs every check
 * and records its verdict. Words in the cell's {@code question} raise the hypotheses about the
 * topics they name. Works with no model, and grounds one when there is.
 */
public final class TraceAnalyst {
  public static final String ANSWERED_BY = "deterministic analyst";

  private static final Map<Topic, List<String>> TOPIC_WORDS =
      Map.of(
          Topic.ERRORS,
              List.of("error", "fail", "errno", "epipe", "broken", "reset", "refused", "crash"),
          Topic.BURSTS, List.of("burst", "spike", "sudden", "when", "storm", "start", "began"),
          Topic.LATENCY,
              List.of("slow", "latency", "timeout", "time out", "hang", "stall", "p99", "delay"),
          Topic.NETWORK,
              List.of("retransmit", "network", "packet", "loss", "peer", "drop", "retry"),
          Topic.ACTIVITY, List.of("busy", "which process", "who"),
          Topic.RESOURCES,
              List.of("leak", "descriptor", "emfile", "memory", "disk", "space", "limit"),
          Topic.CHANGE, List.of("deploy", "release", "build", "version", "since", "regression"),
          Topic.DATA,
              List.of(
                  "wrong",
                  "incorrect",
                  "corrupt",
                  "garbled",
                  "mismatch",
                  "differ",
                  "answer",
                  "reply",
                  "parse",
                  "stored",
                  "duplicate"));

  private final HypothesisChecks checks;

  public TraceAnalyst() {
    this(new HypothesisChecks(Duration.ofSeconds(30)));
  }

  public TraceAnalyst(HypothesisChecks checks) {
    this.checks = checks;
  }

  /** Analyses the trace tables on {@code connection}; failures come back as an error output. */
  public CellOutput ask(Connection connection, Map<String, String> body) {
    return ask(connection, body, Optional.empty());
  }

  /**
   * Like {@link #ask(Connection, Map)}, with the target repository whose configured timeouts the
   * latencies are compared against.
   */
  public CellOutput ask(Connection connection, Map<String, String> body, Optional<Path> repo) {
    String question = body.getOrDefault("question", "").toLowerCase(Locale.ROOT);
    try {
      List<Finding> findings = findings(connection, repo);
      if (findings == null) {
        return new CellOutput.Error(
            "analyst", "there is no events table yet: capture or import a trace first", "");
      }
      List<CellOutput.Hypothesis> ranked =
          findings.stream()
              .sorted(
                  Comparator.comparingDouble((Finding f) -> -score(f, question))
                      .thenComparing(f -> f.hypothesis().statement()))
              .map(Finding::hypothesis)
              .toList();
      return new CellOutput.Hypotheses(
          checks.check(connection, ranked),
          new CellOutput.Provenance(ANSWERED_BY, "none", null, null, 0, null));
    } catch (SQLException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new CellOutput.Error(
          "analyst",
          "could not read trace statistics: " + message.lines().findFirst().orElse(""),
          message);
    }
  }

  /** Every detector's findings, unranked; null when there is no events table. */
  static List<Finding> findings(Connection connection, Optional<Path> repo) throws SQLException {
    TraceStats stats = new TraceStats(connection);
    if (!stats.hasTable("events")) {
      return null;
    }
    List<Finding> findings = new ArrayList<>();
    findings.addAll(ErrorDetectors.errnoByProcess(stats));
    findings.addAll(ErrorDetectors.errorBursts(stats));
    findings.addAll(ErrorDetectors.errorOnset(stats));
    findings.addAll(FlowDetectors.latencyTails(stats));
    findings.addAll(FlowDetectors.retransmitsByPeer(stats));
    findings.addAll(NetworkDetectors.troubleWithErrors(stats));
    findings.addAll(NetworkDetectors.retryStorm(stats));
    findings.addAll(NetworkDetectors.slowDependency(stats));
    findings.addAll(ChangeDetectors.newBuildOnset(stats));
    findings.addAll(JvmDetectors.pauseTimeouts(stats));
    findings.addAll(JvmDetectors.exceptionBursts(stats));
    findings.addAll(JvmDetectors.exceptionBurstsAtNewBuild(stats));
    findings.addAll(ResourceDetectors.exhaustion(stats));
    findings.addAll(ResourceDetectors.fdGrowth(stats));
    findings.addAll(AnswerDetectors.rejectedAnswers(stats));
    if (repo.isPresent()) {
      findings.addAll(TimeoutDetector.crossings(stats, RepositoryTimeouts.find(repo.get())));
    }
    findings.addAll(FlowDetectors.busiestProcess(stats));
    return findings;
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
