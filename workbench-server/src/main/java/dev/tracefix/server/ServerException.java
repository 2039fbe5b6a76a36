package dev.tracefix.server;

/**
 * The workbench's one exception: {@link Kind} says what went wrong, and so how the HTTP layer
 * answers it (one mapping, {@code http.ErrorMapping}) and which exit code the CLI gives ({@code
 * cli.CliErrorHandler}). The message is for the user: it names the file, line, argument or command
 * and what to change.
 */
public final class ServerException extends RuntimeException {
  public enum Kind {
    /** A notebook, saved query or revision that does not exist. */
    NOT_FOUND,
    /** A notebook or saved query file that does not parse; the message names the line. */
    MALFORMED,
    /**
     * A request or argument the user can fix: a command-line usage error, a sort column a result
     * lacks, a {@code --metrics} address that does not parse.
     */
    INVALID,
    /** The request cannot be done in this state, e.g. saving where there is no git repository. */
    CONFLICT,
    /** A file, folder or port could not be read, written or bound. */
    IO,
    /** A program tracefix runs failed (a step of the demo); the message quotes its output. */
    EXTERNAL
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
