package dev.tracefix.server.patch;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.fixloop.TestCellContext;
import dev.tracefix.server.run.CellOutput;
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
        new CellOutput.Bisected(culprit, "client: tighten inventory timeout to fail fast", List.of());
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))
            .with("culprit", bisected)) {
      CellOutput out =
          new PatchCellRunner()
              .run(
                  Map.of("repo", repo.toString(), "culprit", "culprit", "run", "./repro.sh",
                      "test", "./check.sh"),
                  context);
      CellOutput.Patched patched = assertInstanceOf(CellOutput.Patched.class, out, out.toString());
      System.out.println("branch " + patched.branch() + "\n" + patched.diff() + "\n" + patched.log());
      assertTrue(patched.reproPasses(), patched.log());
      assertTrue(patched.diff().contains("-  static final Duration INVENTORY_TIMEOUT = Duration.ofMillis(50);"));
      assertTrue(patched.diff().contains("+  static final Duration INVENTORY_TIMEOUT = Duration.ofMillis(500);"));
      assertTrue(patched.log().contains("test: exit 0"), patched.log());
      assertEquals("tracefix/patch-" + culprit.substring(0, 7), patched.branch());
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
    try (TestCellContext context = new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new PatchCellRunner()
              .run(Map.of("repo", repo.toString(), "culprit", "HEAD", "run", "true"), context);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out, out.toString());
      System.out.println(error);
      assertEquals("guardrail", error.errorKind());
      assertTrue(error.message().contains("password_assignment at app.properties:2"), error.message());
      assertThrows(IllegalStateException.class, () -> git(repo, "rev-parse", "--verify", "tracefix/patch-" + git(repo, "rev-parse", "--short=7", "HEAD")));
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
    Files.writeString(repo.resolve("f.txt"),
        text.toString().replace("line 5\n", "line five\n").replace("line 25\n", "line twenty-five\n"));
    git(repo, "commit", "-q", "-am", "culprit: two hunks");
    String culprit = git(repo, "rev-parse", "HEAD");
    Files.writeString(repo.resolve("f.txt"),
        Files.readString(repo.resolve("f.txt")).replace("line twenty-five\n", "line 25 (reworked)\n"));
    git(repo, "commit", "-q", "-am", "later: rework line 25");
    try (TestCellContext context = new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new PatchCellRunner()
              .run(Map.of("repo", repo.toString(), "culprit", culprit, "run", "grep -q '^line 5$' f.txt"),
                  context);
      CellOutput.Patched patched = assertInstanceOf(CellOutput.Patched.class, out, out.toString());
      System.out.println(patched.diff() + patched.log());
      assertTrue(patched.reproPasses());
      assertTrue(patched.diff().contains("-line five\n+line 5\n"), patched.diff());
      assertFalse(patched.diff().contains("twenty-five"), patched.diff());
      assertTrue(patched.log().contains("no longer matches"), patched.log());
    }
  }

  @Test
  void findsSecretsOnlyOnAddedLines() {
    String diff =
        """
        diff --git a/c.env b/c.env
        --- a/c.env
        +++ b/c.env
        @@ -1,2 +1,3 @@
        -password=oldvalue1
         user=app
        +aws=AKIAABCDEFGHIJKLMNOP
        +-----BEGIN RSA PRIVATE KEY-----
        """;
    List<SecretScan.Finding> findings = SecretScan.addedSecrets(diff);
    assertEquals(
        "[aws_access_key at c.env:2, private_key_block at c.env:3]", findings.toString());
    assertEquals("key [redacted aws_access_key]", SecretScan.redact("key AKIAABCDEFGHIJKLMNOP"));
  }
}
