package dev.tracefix.sink;

/** The one exception the sink throws; {@link Kind} says whose fault it is and what to do. */
public final class SinkException extends RuntimeException {
  public enum Kind {
    /** Bad arguments from the caller: a reused capture id, a non-empty export directory. */
    USER,
    /** A file or directory could not be opened, created or written (permissions, disk, lock). */
    RESOURCE,
    /** Input files exist but are not a tracefix export (missing tables, wrong columns). */
    DATA,
    /** A bug in tracefix, or DuckDB/Arrow refused something tracefix should not have sent. */
    INTERNAL
  }

  private final Kind kind;

  public SinkException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SinkException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
