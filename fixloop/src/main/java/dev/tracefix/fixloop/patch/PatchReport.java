package dev.tracefix.fixloop.patch;

import java.util.List;
import java.util.Optional;

/**
 * What the patch step did: every strategy in order with its notes and candidates, and the first
 * candidate that passed the review gate, if any.
 *
 * @param reproAtBad the repro's verdict line at the bad commit (before)
 * @param regressionTestBefore how the generated regression test did on the bad commit (it must
 *     fail)
 */
public record PatchReport(
    String culprit,
    String culpritSubject,
    String bad,
    String reproAtBad,
    String regressionTestBefore,
    List<StrategyReport> strategies,
    Optional<CandidateReport> chosen) {

  /** One strategy: whether it ran, what it noted, what it proposed. */
  public record StrategyReport(
      String name, boolean tried, List<String> notes, List<CandidateReport> candidates) {}

  public List<CandidateReport> candidates() {
    return strategies.stream().flatMap(s -> s.candidates().stream()).toList();
  }

  /** One line per strategy and candidate, for logs and the CLI. */
  public List<String> lines() {
    List<String> out = new java.util.ArrayList<>();
    for (StrategyReport s : strategies) {
      if (!s.tried()) {
        out.add(s.name() + ": not tried (" + String.join("; ", s.notes()) + ")");
        continue;
      }
      if (s.candidates().isEmpty()) {
        out.add(s.name() + ": no candidate (" + String.join("; ", s.notes()) + ")");
      }
      for (CandidateReport c : s.candidates()) {
        out.add(
            s.name()
                + ": "
                + c.summary()
                + " on "
                + c.branch()
                + ": "
                + (c.passed() ? "passed the review gate" : "refused, " + c.reason()));
      }
    }
    return out;
  }
}
