package dev.tracefix.server.patch;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.fixloop.TestCellContext;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchCellRunnerTest {
  @TempDir Path temp;

  @Test
  void revertingTheTimeoutCommitMakesTheReproPass() throws Exception {
    Path repo = GitFixtures.timeoutServiceRepo(temp.resolve("timeout-service"));
    String culprit = git(repo, "log", "--format=%H", "--grep=tighten inventory timeout");
    String headBefore = git(repo, "rev-parse", "HEAD");
    CellOutput.Bisected bisected =
        new CellOutput.Bisected(
            culprit, "client: tighten inventory timeout to fail fast", List.of(), 0, List.of());
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))
            .with("culprit", bisected)) {
      CellOutput out =
          new PatchCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "culprit",
                      "culprit",
                      "run",
                      "./repro.sh",
                      "test",
                      "./check.sh"),
                  context);
      CellOutput.Patched patched = assertInstanceOf(CellOutput.Patched.class, out, out.toString());
      System.out.println(
          "branch " + patched.branch() + "\n" + patched.diff() + "\n" + patched.log());
      assertTrue(patched.reproPasses(), patched.log());
      assertTrue(patched.reviewPassed(), patched.log());
      assertEquals("revert-implicated-hunks", patched.strategy());
      assertTrue(
          patched
              .diff()
              .contains("-  static final Duration INVENTORY_TIMEOUT = Duration.ofMillis(50);"));
      assertTrue(
          patched
              .diff()
              .contains("+  static final Duration INVENTORY_TIMEOUT = Duration.ofMillis(500);"));
      assertTrue(patched.log().contains("target's tests: pass (exit 0)"), patched.log());
      assertEquals("tracefix/revert-implicated-hunks-" + culprit.substring(0, 7), patched.branch());
      assertEquals(headBefore, git(repo, "rev-parse", patched.branch() + "^"));
      assertEquals(headBefore, git(repo, "rev-parse", "HEAD"), "HEAD must not move");
      assertEquals("", git(repo, "status", "--porcelain"), "the work tree must stay clean");
      // and the patch branch itself, checked out for real, passes the repro
      git(repo, "checkout", "-q", patched.branch());
      assertEquals(0, GitFixtures.run(repo, List.of("./repro.sh")).exitCode());
    }
  }

  @Test
  void refusesAPatchThatWouldAddAPassword() throws Exception {
    Path repo = Files.createDirectory(temp.resolve("svc"));
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("app.properties"), "db.url=jdbc:x\ndb.password=hunter2secret\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "config");
    Files.writeString(repo.resolve("app.properties"), "db.url=jdbc:x\n");
    git(repo, "commit", "-q", "-am", "config: read the password from the vault");
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new PatchCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "culprit",
                      "HEAD",
                      "run",
                      "grep -q password app.properties"),
                  context);
      CellOutput.Patched patched = assertInstanceOf(CellOutput.Patched.class, out, out.toString());
      System.out.println(patched.log());
      assertFalse(patched.reviewPassed());
      CellOutput.PatchCandidate refused = patched.candidates().getFirst();
      assertEquals("", refused.branch(), "a candidate that adds a secret gets no branch");
      CellOutput.Guardrail scan = refused.guardrails().getFirst();
      assertEquals("secret scan", scan.name());
      assertEquals("fail", scan.status());
      assertTrue(scan.detail().contains("SECRET at app.properties:2"), scan.detail());
      assertFalse(patched.diff().contains("hunter2secret"), "the diff shown is redacted");
      assertFalse(
          git(repo, "branch", "--list", "tracefix/*").contains("tracefix/"),
          "no branch was created");
    }
  }

  @Test
  void keepsTheHunksThatStillApplyAndReportsTheOthers() throws Exception {
    Path repo = Files.createDirectory(temp.resolve("lib"));
    git(repo, "init", "-q", "-b", "main");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      text.append("line ").append(i).append('\n');
    }
    Files.writeString(repo.resolve("f.txt"), text);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    Files.writeString(
        repo.resolve("f.txt"),
        text.toString()
            .replace("line 5\n", "line five\n")
            .replace("line 25\n", "line twenty-five\n"));
    git(repo, "commit", "-q", "-am", "culprit: two hunks");
    String culprit = git(repo, "rev-parse", "HEAD");
    Files.writeString(
        repo.resolve("f.txt"),
        Files.readString(repo.resolve("f.txt"))
            .replace("line twenty-five\n", "line 25 (reworked)\n"));
    git(repo, "commit", "-q", "-am", "later: rework line 25");
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new PatchCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "culprit",
                      culprit,
                      "run",
                      "grep -q '^line 5$' f.txt"),
                  context);
      CellOutput.Patched patched = assertInstanceOf(CellOutput.Patched.class, out, out.toString());
      System.out.println(patched.diff() + patched.log());
      assertTrue(patched.reproPasses());
      assertTrue(patched.diff().contains("-line five\n+line 5\n"), patched.diff());
      assertFalse(patched.diff().contains("twenty-five"), patched.diff());
      assertTrue(
          patched.log().contains("f.txt -25,1 +25,1: no longer applies at the bad commit"),
          patched.log());
    }
  }

  @Test
  void acceptsTheChosenPatchWithTheRegressionTestAndWritesThePullRequest() throws Exception {
    Path repo = GitFixtures.timeoutServiceRepo(temp.resolve("timeout-service"));
    git(repo, "config", "user.name", "Dana Reyes");
    git(repo, "config", "user.email", "dana@checkout.example");
    String culprit = git(repo, "log", "--format=%H", "--grep=tighten inventory timeout");
    CellOutput.Minimized minimal =
        new CellOutput.Minimized(
            List.of("time_ms", "bytes"), List.of(List.of(0L, 4097L)), 30, 20, "", "", List.of(), 0);
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))
            .with("minimal", minimal)) {
      CellOutput out =
          new PatchCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "culprit",
                      culprit,
                      "run",
                      "./repro.sh",
                      "test",
                      "./check.sh",
                      "input",
                      "minimal",
                      "incident",
                      "INC-2041 checkout timeouts",
                      "accept",
                      "yes"),
                  context);
      CellOutput.Patched patched = assertInstanceOf(CellOutput.Patched.class, out, out.toString());
      System.out.println(patched.pullRequest());
      assertTrue(patched.reviewPassed(), patched.log());
      String message = git(repo, "log", "-1", "--format=%B", patched.branch());
      assertTrue(message.startsWith("Fix INC-2041 checkout timeouts: revert the hunk of"), message);
      assertTrue(message.contains("Culprit: " + culprit), message);
      assertTrue(
          message.contains("Repro: ./repro.sh on 1 input row(s), minimized from 30"), message);
      assertTrue(
          message.contains("Test: tracefix/IncidentInc2041CheckoutTimeoutsReproTest.java"),
          message);
      assertEquals(patched.accepted(), git(repo, "rev-parse", patched.branch()));
      assertEquals("Dana Reyes", git(repo, "log", "-1", "--format=%an", patched.branch()));
      assertTrue(
          git(repo, "show", "--name-only", "--format=", patched.branch())
              .contains("tracefix/IncidentInc2041CheckoutTimeoutsReproTest.java"));
      assertTrue(
          patched.pullRequest().contains("| failing runs | 3 of 3 | 0 of 3 |"),
          patched.pullRequest());
      assertEquals("", git(repo, "status", "--porcelain"), "the work tree must stay clean");
    }
  }
}
