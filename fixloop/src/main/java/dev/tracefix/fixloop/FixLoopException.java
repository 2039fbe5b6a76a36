package dev.tracefix.fixloop;

/**
 * A fix-loop step (repro, minimize, bisect, patch, accept) could not do what was asked. The one
 * exception of this module; its {@link Kind} says whose problem it is, so a front end can word it
 * (the CLI as an exit status, the notebook as a cell error).
 */
public final class FixLoopException extends RuntimeException {
  public enum Kind {
    /** The request is wrong: a missing key, an unknown ref, a bad duration, a spec typo. */
    USER,
    /** The repro did not behave as the step needs (e.g. passes on the bad commit). */
    REPRO,
    /** The repository could not be read or written. */
    GIT,
    /** A guardrail refused the result (e.g. a patch that adds a secret). */
    GUARDRAIL,
    /** The repro command exited with 128 or more: {@code git bisect run} stops there too. */
    ABORTED,
    /** Someone cancelled the step (Ctrl-C, the notebook's interrupt). */
    CANCELLED,
    INTERNAL
  }

  private final Kind kind;

  public FixLoopException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public FixLoopException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
