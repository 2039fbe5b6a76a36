package dev.tracefix.server.cli;

/** A command-line usage problem the user can fix: the message says how. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
