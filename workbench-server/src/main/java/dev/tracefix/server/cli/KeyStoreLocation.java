package dev.tracefix.server.cli;

import java.nio.file.Path;

/** Where HMAC keys live unless the user says otherwise: beside the user's other tracefix state. */
final class KeyStoreLocation {
  private KeyStoreLocation() {}

  static Path defaultDir() {
    String override = System.getenv("TRACEFIX_KEYS");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return Path.of(System.getProperty("user.home"), ".tracefix", "keys");
  }
}
