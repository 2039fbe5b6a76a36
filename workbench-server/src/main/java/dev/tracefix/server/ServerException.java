package dev.tracefix.server;

/** A notebook could not be found, read or parsed; the message names the file (and line). */
public final class ServerException extends RuntimeException {
  public enum Kind {
    NOT_FOUND,
    MALFORMED,
    /** A request the workspace cannot answer as asked, e.g. a sort column a result lacks. */
    INVALID,
    /** The request cannot be done in this state, e.g. saving where there is no git repository. */
    CONFLICT,
    IO
  }

  private final Kind kind;

  public ServerException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ServerException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
