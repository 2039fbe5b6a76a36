package dev.tracefix.fixloop.repro;

/** What one repro run says about a commit, with the exit-code rules of {@code git bisect run}. */
public enum Verdict {
  GOOD,
  BAD,
  SKIP,
  ABORT;

  /** 0 good, 125 skip, 1..127 except 125 bad, anything else (>= 128, negative) abort. */
  public static Verdict ofExitCode(int exitCode) {
    if (exitCode == 0) {
      return GOOD;
    }
    if (exitCode == 125) {
      return SKIP;
    }
    if (exitCode >= 1 && exitCode <= 127) {
      return BAD;
    }
    return ABORT;
  }

  /** The word used in {@code CellOutput.BisectStep#verdict}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
