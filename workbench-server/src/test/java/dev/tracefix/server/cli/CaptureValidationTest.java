package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture that cannot start says why and leaves nothing behind: no database file, no spool, no
 * captures row that never ends. Runs without privileges too: these are checked first.
 */
class CaptureValidationTest {
  @TempDir Path dir;

  private void assertRefusedWithoutADatabase(String reason, String... options) throws Exception {
    Path db = dir.resolve("never.duckdb");
    List<String> args =
        new ArrayList<>(
            List.of("capture", "--db", db.toString(), "--keys", dir.resolve("keys").toString()));
    args.addAll(List.of(options));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    System.out.println("CaptureValidationTest " + List.of(options) + ": " + run.err().strip());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains(reason), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for a user error: " + run.err());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of(), left.filter(p -> p.getFileName().toString().startsWith("never")).toList());
    }
  }

  @Test
  void aNegativePidIsRefusedBeforeTheDatabaseExists() throws Exception {
    assertRefusedWithoutADatabase(
        "pid must be positive, got -5", "--pid", "-5", "--duration", "1s");
  }

  @Test
  void aPidNoProcessHasIsRefusedNamingThePid() throws Exception {
    int pid = 999_999;
    assumeTrue(!Files.exists(Path.of("/proc", "" + pid)), "pid 999999 happens to exist");
    assertRefusedWithoutADatabase(
        "no process has pid 999999", "--pid", "" + pid, "--duration", "1s");
  }

  @Test
  void aZeroDurationIsRefusedBeforeTheDatabaseExists() throws Exception {
    assertRefusedWithoutADatabase("capture duration must be positive", "--duration", "0s");
  }

  @Test
  void anUprobeWhoseSymbolDoesNotResolveIsRefusedBeforeTheDatabaseExists() throws Exception {
    Path sh = Path.of("/bin/sh").toRealPath();
    assertRefusedWithoutADatabase(
        "no_such_function_here", "--uprobe", sh + ":no_such_function_here", "--duration", "1s");
  }

  @Test
  void anUprobeWithoutASymbolIsRefusedBeforeTheDatabaseExists() throws Exception {
    assertRefusedWithoutADatabase(
        "must be /path/to/binary:symbol", "--uprobe", "/bin/sh", "--duration", "1s");
  }
}
