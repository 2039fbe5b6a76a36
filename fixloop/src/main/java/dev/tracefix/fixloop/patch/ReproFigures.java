package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.repro.Attempt;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The repro's numbers on one tree, for a before/after comparison: {@code runs} runs on the
 * minimized input, how many failed, their exit codes, the median time, the last line printed.
 */
public record ReproFigures(
    int runs, int failures, List<Integer> exitCodes, long medianMillis, String lastLine) {
  public static ReproFigures measure(
      ReproHarness harness, Path tree, Optional<InputTable> input, int runs) {
    List<Integer> exits = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    int failures = 0;
    String last = "";
    for (int i = 0; i < runs; i++) {
      Attempt a = harness.attempt(tree, input);
      exits.add(a.exitCode());
      millis.add(a.elapsed().toMillis());
      if (a.verdict() != Verdict.GOOD) {
        failures++;
      }
      last = a.lastLine();
    }
    millis.sort(Long::compare);
    return new ReproFigures(
        runs, failures, List.copyOf(exits), millis.get(millis.size() / 2), SecretScan.redact(last));
  }

  public String failing() {
    return failures + " of " + runs;
  }

  public String median() {
    return String.format(Locale.ROOT, "%.2f s", medianMillis / 1000.0);
  }

  public String exits() {
    return exitCodes.stream()
        .distinct()
        .map(String::valueOf)
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }
}
