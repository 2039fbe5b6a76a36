package dev.tracefix.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project lives (set by the launcher) and the defaults derived from it. */
final class ProjectPaths {
  private ProjectPaths() {}

  /** The tracefix checkout: {@code -Dtracefix.home}, else the nearest parent holding notebooks/. */
  static Path home() {
    String home = System.getProperty("tracefix.home");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("notebooks")) && Files.exists(p.resolve("tracefix"))) {
        return p;
      }
    }
    return dir;
  }

  static Path notebooks() {
    return home().resolve("notebooks");
  }

  /**
   * The policy a capture applies unless told otherwise: the checkout's {@code
   * policies/default.yaml}, else the user's {@code ~/.tracefix/policy.yaml}; null when neither
   * exists (the copy built into the jar, rebuilt by the launcher whenever {@code policies/}
   * changes).
   */
  static Path defaultPolicy() {
    Path checkout = home().resolve("policies").resolve("default.yaml");
    if (Files.isRegularFile(checkout)) {
      return checkout;
    }
    Path user = Path.of(System.getProperty("user.home"), ".tracefix", "policy.yaml");
    return Files.isRegularFile(user) ? user : null;
  }

  static Path defaultDb() {
    return home().resolve(".tracefix").resolve("workbench.duckdb");
  }
}
