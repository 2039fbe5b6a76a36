package dev.tracefix.sink.spool;

/** A spool segment that cannot be trusted; the message says why. Never leaves this package. */
final class CorruptSegmentException extends Exception {
  CorruptSegmentException(String reason) {
    super(reason);
  }
}
