package dev.tracefix.fixloop.repro;

import java.time.Duration;

/**
 * One try of the repro on one tree: what it says ({@link Verdict}, the exit-code rules of {@code
 * git bisect run}), which phase decided it, and what it printed.
 *
 * @param note why the verdict differs from the exit code's, or empty (e.g. "did not build")
 */
public record Attempt(
    Verdict verdict, int exitCode, Phase phase, String outputTail, Duration elapsed, String note) {
  public enum Phase {
    BUILD,
    START,
    RUN
  }

  /** One line: {@code bad (exit 1, 1.2 s)} plus the note. */
  public String summary() {
    return verdict.word()
        + " ("
        + phase.name().toLowerCase(java.util.Locale.ROOT)
        + " exit "
        + exitCode
        + ", "
        + String.format(java.util.Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0)
        + (note.isEmpty() ? "" : "; " + note)
        + ")";
  }

  /** The last non-blank line the command printed, for reports. */
  public String lastLine() {
    return outputTail.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
  }
}
