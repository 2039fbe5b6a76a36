package dev.tracefix.server.fixloop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.proc.CgroupPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A target whose failure only a capture can see, for the repro tests judged by {@code
 * capture-query:} (the CLI's and the notebook cell's): a replay script that reads steps from the
 * repro's input and exits 0 whatever happens; a {@code connect} step is refused on port 1.
 */
public final class CapturedReplay {
  private CapturedReplay() {}

  /** Writes {@code replay.sh} into {@code repo} (made if missing) and returns the repository. */
  public static Path writeInto(Path repo) throws IOException {
    Files.createDirectories(repo);
    Path script = repo.resolve("replay.sh");
    Files.writeString(
        script,
        """
        #!/usr/bin/env bash
        # Replays steps; exits 0 whatever happens: only a capture can tell a failing run.
        while IFS=, read -r step action; do
          [ "$step" = step ] && continue
          case "$action" in
            connect) (exec 3<>/dev/tcp/127.0.0.1/1) 2>/dev/null || true ;;
            read) head -c 16 /proc/version > /dev/null ;;
            *) : ;;
          esac
        done < "$TRACEFIX_INPUT"
        exit 0
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return repo;
  }

  /** Every captured run's cgroup is gone with it. */
  public static void assertNoRunCgroupLeft() throws IOException {
    Path mount = CgroupPaths.system().mount().orElseThrow();
    try (var left = Files.list(mount)) {
      assertEquals(
          List.of(),
          left.filter(p -> p.getFileName().toString().startsWith("tracefix-run-")).toList());
    }
  }
}
