package dev.tracefix.fixloop.patch;

import java.util.Locale;

/** One guardrail's verdict on one candidate. */
public record Check(String name, Status status, String detail) {
  public enum Status {
    PASS,
    FAIL,
    /** An earlier guardrail failed, so this one was not run. */
    NOT_RUN,
    /** Nothing to run: the spec has no such command (shown, not a failure). */
    NOT_CONFIGURED;

    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  public boolean failed() {
    return status == Status.FAIL;
  }

  @Override
  public String toString() {
    return name + ": " + status.word() + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
