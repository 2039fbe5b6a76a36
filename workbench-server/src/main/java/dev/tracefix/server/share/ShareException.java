package dev.tracefix.server.share;

/** A git operation on a notebook folder that cannot be done, with a message for the user. */
public final class ShareException extends RuntimeException {
  /** What went wrong: the folder has no repository, a revision is unknown, or git failed. */
  public enum Kind {
    NOT_A_REPOSITORY,
    UNKNOWN_REVISION,
    GIT
  }

  private final Kind kind;

  public ShareException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
