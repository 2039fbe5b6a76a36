package dev.tracefix.server.demo;

/** The demo could not be prepared or did not close its loop; the message says which step. */
public final class DemoException extends RuntimeException {
  public DemoException(String message) {
    super(message);
  }

  public DemoException(String message, Throwable cause) {
    super(message, cause);
  }
}
