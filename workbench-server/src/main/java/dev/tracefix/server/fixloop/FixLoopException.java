package dev.tracefix.server.fixloop;

/**
 * A fix-loop step (minimize, bisect, patch) could not run. The action cell runners turn it into a
 * {@code CellOutput.Error} whose kind is {@link Kind#cellErrorKind()}; it never reaches the server.
 */
public final class FixLoopException extends RuntimeException {
  public enum Kind {
    /** The cell body is wrong: a missing key, an unknown ref, a bad duration. */
    USER("parse"),
    /** The repro command did not behave as the step needs (e.g. passes on the bad commit). */
    REPRO("repro"),
    /** The repository could not be read or written. */
    GIT("git"),
    /** A guardrail refused the result (e.g. a patch that adds a secret). */
    GUARDRAIL("guardrail"),
    INTERNAL("internal");

    private final String cellErrorKind;

    Kind(String cellErrorKind) {
      this.cellErrorKind = cellErrorKind;
    }

    public String cellErrorKind() {
      return cellErrorKind;
    }
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
