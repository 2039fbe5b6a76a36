package dev.tracefix.server.cli;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix minimize} (and resuming it from its outcomes on disk) and {@code tracefix patch}.
 */
class FixLoopCommandsTest {
  @TempDir Path temp;

  @Test
  void minimizeResumesFromItsOutcomesAndPatchFixesWithTheMinimizedInput() throws Exception {
    Path repo = GitFixtures.metricsRelayRepo(temp.resolve("relay"));
    Path out = temp.resolve("min");
    CliRun first =
        CliRun.of(
            "minimize",
            "--repro",
            "tracefix.repro",
            "--repo",
            repo.toString(),
            "--out",
            out.toString());
    System.out.println(first.err() + first.out());
    assertEquals(0, first.exit(), first.err());
    String summary = first.out().lines().toList().getLast();
    assertTrue(summary.startsWith("minimized: 1 of 300 rows still fail after "), summary);
    List<String> csv = Files.readAllLines(out.resolve("input.min.csv"));
    assertEquals(List.of("time,measurement,host,value,delay_ms", "1717000000108,, ,0,0"), csv);
    assertTrue(
        Files.exists(
            out.resolve(
                "tracefix/incident-inc-7314-relay-stores-escaped-tag-values-repro-test.sh")));
    assertEquals(
        "", git(repo, "status", "--porcelain"), "outcomes live in .git, not in the work tree");

    CliRun again =
        CliRun.of(
            "minimize",
            "--repro",
            "tracefix.repro",
            "--repo",
            repo.toString(),
            "--out",
            out.toString());
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.err().contains("resuming: "), again.err());
    String resumed = again.out().lines().toList().getLast();
    assertTrue(
        resumed.startsWith("minimized: 1 of 300 rows still fail after 0 repro runs ("), resumed);

    String culprit = git(repo, "log", "--format=%H", "--grep=unescape in one pass");
    CliRun patch =
        CliRun.of(
            "patch",
            "--repo",
            repo.toString(),
            "--culprit",
            culprit,
            "--repro",
            "tracefix.repro",
            "--input",
            out.resolve("input.min.csv").toString());
    System.out.println(patch.err() + patch.out());
    assertEquals(0, patch.exit(), patch.err());
    assertTrue(
        patch
            .out()
            .lines()
            .toList()
            .getLast()
            .startsWith("patch ok: revert-implicated-hunks (revert 1 of 3 hunks"),
        patch.out());
  }
}
