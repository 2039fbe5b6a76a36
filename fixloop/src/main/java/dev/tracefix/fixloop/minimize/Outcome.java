package dev.tracefix.fixloop.minimize;

/** What the oracle says about a candidate input (Zeller's ✘ / ✔ / ?). */
public enum Outcome {
  /** The failure reproduces. */
  FAIL,
  /** The candidate runs and does not fail. */
  PASS,
  /**
   * Neither: the candidate could not be judged (e.g. the repro could not build, or failed
   * differently).
   */
  UNRESOLVED
}
