package dev.tracefix.server.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.fixloop.TestCellContext;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bisects the sample service's history with its own repro.sh, next to git bisect run. */
class TimeoutServiceBisectTest {
  @TempDir Path temp;

  @Test
  void blamesTheTimeoutCommitLikeGitBisectRun() throws Exception {
    Path repo = GitFixtures.timeoutServiceRepo(temp.resolve("timeout-service"));
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new BisectCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "good",
                      "v1.0",
                      "bad",
                      "HEAD",
                      "run",
                      "./repro.sh",
                      "timeout",
                      "60s"),
                  context);
      CellOutput.Bisected bisected =
          assertInstanceOf(CellOutput.Bisected.class, out, out.toString());
      System.out.println("tracefix culprit " + bisected.culprit() + " " + bisected.subject());
      bisected.steps().forEach(s -> System.out.println("  step " + s));
      assertEquals("client: tighten inventory timeout to fail fast", bisected.subject());
      assertEquals(
          GitFixtures.gitBisectRun(repo, "HEAD", "v1.0", "./repro.sh"), bisected.culprit());
    }
  }
}
