package dev.tracefix.server.llm;

/**
 * Why a model could not answer. Each kind becomes a cell error ({@link #errorKind()}); the notebook
 * keeps working. Messages never hold the API key ({@link ApiKey#scrub}).
 */
public final class LlmException extends RuntimeException {
  public enum Kind {
    /** The settings file or environment is wrong. */
    CONFIG("llm-config"),
    /** The provider did not answer in time. */
    TIMEOUT("llm-timeout"),
    /** The provider said to slow down (HTTP 429). */
    RATE_LIMITED("llm-rate-limit"),
    /** The provider refused the request (auth, content filter, bad request, unknown model). */
    REFUSED("llm-refused"),
    /** The model answered, but not in the shape asked for. */
    MALFORMED("llm-output"),
    /** The privacy gateway kept the request from being sent. */
    BLOCKED("llm-blocked"),
    /** Someone stopped the cell; the request in flight, if any, was aborted. */
    CANCELLED("interrupted"),
    /** Anything else on the way to or from the provider. */
    FAILED("llm");

    private final String errorKind;

    Kind(String errorKind) {
      this.errorKind = errorKind;
    }
  }

  private final Kind kind;

  public LlmException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public LlmException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The cell error kind this failure shows as. */
  public String errorKind() {
    return kind.errorKind;
  }
}
