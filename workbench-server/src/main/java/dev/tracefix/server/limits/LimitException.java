package dev.tracefix.server.limits;

/** A limit written wrongly: an unknown name, a value that does not parse or is out of range. */
public final class LimitException extends RuntimeException {
  private final String key;

  public LimitException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The limit's name as written, to point at the line that sets it. */
  public String key() {
    return key;
  }
}
