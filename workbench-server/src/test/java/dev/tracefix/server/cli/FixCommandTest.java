package dev.tracefix.server.cli;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop, headless, on the second sample: a Python metrics relay whose one-pass unescape
 * (commit 8 of 13, after a merge) doubles escaped characters in tag values. Nothing in the loop
 * knows this example: the repro spec in the repository says how to start, replay and judge.
 */
class FixCommandTest {
  @TempDir Path temp;

  @Test
  void closesTheLoopOnThePythonRelayFromMinimizeToAnAcceptedPatch() throws Exception {
    Path repo = GitFixtures.metricsRelayRepo(temp.resolve("metrics-relay"));
    String head = git(repo, "rev-parse", "HEAD");
    String culprit = git(repo, "log", "--format=%H", "--grep=unescape in one pass");
    Path pr = temp.resolve("pr.md");
    CliRun run = CliRun.of("fix", "--repo", repo.toString(), "--good", "v1.0", "--bad", "HEAD",
        "--repro", "tracefix.repro", "--accept", "--pr-out", pr.toString(), "--cache", temp.resolve("cache").toString());
    System.out.println(run.err());
    System.out.println(run.out());
    assertEquals(0, run.exit(), run.err());
    List<String> out = run.out().lines().toList();
    String summary = out.getLast();
    assertTrue(summary.startsWith("fix ok: INC-7314 relay stores escaped tag values wrong: 300 -> 1 rows ("), summary);
    assertTrue(summary.contains("culprit " + culprit.substring(0, 12)
        + " \"lineproto: unescape in one pass, split tag pairs with split_pairs\""), summary);
    assertTrue(summary.contains("patch revert-implicated-hunks on tracefix/revert-implicated-hunks-" + culprit.substring(0, 7)
        + " passed the review gate (secret scan, culprit's files, repro, target's tests, regression test)"), summary);
    assertTrue(run.err().contains("reverting all 3 hunks does not make the repro pass"), run.err());
    String branch = "tracefix/revert-implicated-hunks-" + culprit.substring(0, 7);
    assertEquals(head, git(repo, "rev-parse", branch + "^"), "the fix sits on the bad commit");
    assertEquals(head, git(repo, "rev-parse", "HEAD"), "HEAD did not move");
    assertEquals("", git(repo, "status", "--porcelain"), "the work tree is untouched");
    List<String> files = git(repo, "show", "--name-only", "--format=", branch).lines().toList();
    String test = "tracefix/incident-inc-7314-relay-stores-escaped-tag-values-repro-test.sh";
    assertEquals(List.of("lineproto.py", test), files);
    String message = git(repo, "log", "-1", "--format=%B", branch);
    assertTrue(message.contains("Incident: INC-7314"), message);
    assertTrue(message.contains("Culprit: " + culprit), message);
    assertTrue(message.contains("Test: " + test + " (fails before this commit, passes after)"), message);
    assertTrue(Files.readString(pr).contains("| failing runs | 3 of 3 | 0 of 3 |"), Files.readString(pr));

    // the generated script test, both ways, in real checkouts
    Path before = temp.resolve("before");
    Path after = temp.resolve("after");
    git(repo, "worktree", "add", "-q", "--detach", before.toString(), "HEAD");
    git(repo, "worktree", "add", "-q", "--detach", after.toString(), branch);
    Files.createDirectories(before.resolve("tracefix"));
    Files.copy(after.resolve(test), before.resolve(test));
    GitFixtures.Result red = GitFixtures.run(before, List.of("bash", test));
    GitFixtures.Result green = GitFixtures.run(after, List.of("bash", test));
    System.out.println("before the fix: " + red + "\nafter: " + green);
    assertNotEquals(0, red.exitCode(), red.output());
    assertTrue(red.output().contains("the relay stored"), red.output());
    assertEquals(0, green.exitCode(), green.output());
  }
}
