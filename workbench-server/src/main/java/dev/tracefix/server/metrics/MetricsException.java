package dev.tracefix.server.metrics;

/** The metrics endpoint cannot start: a malformed address or a port already in use. */
public final class MetricsException extends RuntimeException {
  public MetricsException(String message, Throwable cause) {
    super(message, cause);
  }
}
