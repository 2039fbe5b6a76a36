package dev.tracefix.server.cli;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracefix bisect}: the output and exit codes its help promises, next to git bisect run. */
class BisectCommandTest {
  @TempDir Path temp;
  Path repo;

  /**
   * v1, then 12 commits on main with a feature branch merged after the 6th; 9 breaks, 4-5 cannot
   * build.
   */
  @BeforeEach
  void history() throws Exception {
    repo = Files.createDirectory(temp.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("app.txt"), "v1\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "v1");
    git(repo, "tag", "v1");
    for (int i = 1; i <= 12; i++) {
      if (i == 3) {
        git(repo, "checkout", "-q", "-b", "feature");
        Files.writeString(repo.resolve("feature.txt"), "f\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "feature work");
        git(repo, "checkout", "-q", "main");
      }
      Files.writeString(
          repo.resolve("app.txt"),
          (i == 9 ? "BROKEN " : "") + "change " + i + "\n",
          StandardOpenOption.APPEND);
      if (i == 4) {
        Files.writeString(repo.resolve("UNBUILDABLE"), "x\n");
      }
      if (i == 6) {
        Files.delete(repo.resolve("UNBUILDABLE"));
      }
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "change " + i);
      if (i == 6) {
        git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
      }
    }
  }

  private static final String PREDICATE =
      "[ -e UNBUILDABLE ] && exit 125; grep -q BROKEN app.txt && exit 1; exit 0";

  @Test
  void printsTheFirstBadCommitAsItsLastLineAndExitsZero() throws Exception {
    CliRun run =
        CliRun.of(
            "bisect",
            "--repo",
            repo.toString(),
            "--good",
            "v1",
            "--bad",
            "HEAD",
            "--",
            "bash",
            "-c",
            PREDICATE);
    System.out.println(run.err() + run.out());
    assertEquals(0, run.exit(), run.err());
    String last = run.out().lines().toList().getLast();
    assertTrue(last.matches("first bad commit: [0-9a-f]{40} \\(steps: \\d+\\)"), last);
    String culprit = git(repo, "log", "--format=%H", "--grep=^change 9$");
    assertTrue(last.startsWith("first bad commit: " + culprit), last);
    assertEquals(culprit, GitFixtures.gitBisectRun(repo, "HEAD", "v1", PREDICATE));
    assertTrue(run.err().contains("bisect: "), "progress goes to stderr: " + run.err());
    assertEquals("", git(repo, "status", "--porcelain"));
  }

  @Test
  void buildingAheadPrintsTheSameLastLine() throws Exception {
    CliRun plain =
        CliRun.of(
            "bisect",
            "--repo",
            repo.toString(),
            "--good",
            "v1",
            "--bad",
            "HEAD",
            "--build",
            "cat app.txt > built.txt",
            "--",
            "bash",
            "-c",
            PREDICATE);
    CliRun ahead =
        CliRun.of(
            "bisect",
            "--repo",
            repo.toString(),
            "--good",
            "v1",
            "--bad",
            "HEAD",
            "--build",
            "cat app.txt > built.txt",
            "--build-ahead",
            "--",
            "bash",
            "-c",
            PREDICATE);
    System.out.println(ahead.err());
    assertEquals(0, ahead.exit(), ahead.err());
    assertEquals(plain.out().lines().toList().getLast(), ahead.out().lines().toList().getLast());
    assertTrue(ahead.err().contains(" ahead, the next commit if "), ahead.err());
  }

  @Test
  void exitsTwoAndListsTheSkippedCommitsWhenOnlyThoseAreLeft() throws Exception {
    // broken from change 5 on, which cannot build (4 and 5 are skipped)
    String predicate =
        "[ -e UNBUILDABLE ] && exit 125; grep -q 'change 5' app.txt && exit 1; exit 0";
    CliRun run =
        CliRun.of(
            "bisect",
            "--repo",
            repo.toString(),
            "--good",
            "v1",
            "--bad",
            "HEAD",
            "--",
            "bash",
            "-c",
            predicate);
    System.out.println(run.err() + run.out());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.out().contains("The first bad commit could be any of:"), run.out());
    for (String subject : List.of("change 4", "change 5", "change 6")) {
      String id = git(repo, "log", "--format=%H", "--grep=^" + subject + "$");
      assertTrue(run.out().contains(id), subject + " missing from " + run.out());
    }
  }

  @Test
  void anExitCodeOf128OrMoreAbortsWithExitOne() {
    CliRun run =
        CliRun.of(
            "bisect",
            "--repo",
            repo.toString(),
            "--good",
            "v1",
            "--bad",
            "HEAD",
            "--trust-ends",
            "--",
            "bash",
            "-c",
            "exit 255");
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("bisect aborted: the repro exited with 255"), run.err());
    assertTrue(run.err().contains("128 or more"), run.err());
  }

  @Test
  void firstParentBlamesTheMergeAndRepeatReportsAFlakyCommit() throws Exception {
    Path flakyCounter = temp.resolve("runs");
    // the merge breaks; the first run on any commit with change 7 fails, later runs pass
    String predicate =
        "grep -q '^f$' feature.txt 2>/dev/null && exit 1; "
            + "if grep -q 'change 7' app.txt && [ ! -e "
            + flakyCounter
            + " ]; then touch "
            + flakyCounter
            + "; exit 1; fi; exit 0";
    CliRun run =
        CliRun.of(
            "bisect",
            "--repo",
            repo.toString(),
            "--good",
            "v1",
            "--bad",
            "HEAD",
            "--first-parent",
            "--repeat",
            "3",
            "--",
            "bash",
            "-c",
            predicate);
    System.out.println(run.err() + run.out());
    assertEquals(0, run.exit(), run.err());
    String merge = git(repo, "log", "--format=%H", "--grep=^merge feature$");
    assertTrue(
        run.out().lines().toList().getLast().startsWith("first bad commit: " + merge), run.out());
  }

  @Test
  void aMissingOptionIsAnErrorWithExitOne() {
    CliRun run = CliRun.of("bisect", "--repo", repo.toString(), "--good", "v1", "--", "true");
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("--bad"), run.err());
  }
}
