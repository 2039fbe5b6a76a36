package dev.tracefix.fixloop.patch;

import java.util.List;

/**
 * A candidate after the review gate: on which branch it sits, its diff, and every guardrail's
 * verdict. It may be accepted only if {@link #passed()}.
 */
public record CandidateReport(
    String strategy,
    String summary,
    String branch,
    String commit,
    String diff,
    List<String> log,
    List<Check> checks) {
  public CandidateReport {
    log = List.copyOf(log);
    checks = List.copyOf(checks);
  }

  /** The review gate: no guardrail failed (one that has nothing to run is shown, not failed). */
  public boolean passed() {
    return !checks.isEmpty()
        && checks.stream().noneMatch(c -> c.failed() || c.status() == Check.Status.NOT_RUN);
  }

  /** The first failed guardrail, for one-line reports. */
  public String reason() {
    return checks.stream().filter(Check::failed).findFirst().map(Check::toString).orElse("passed");
  }
}
