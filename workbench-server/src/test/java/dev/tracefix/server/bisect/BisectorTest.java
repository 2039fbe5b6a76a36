package dev.tracefix.server.bisect;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.fixloop.TestCellContext;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BisectorTest {
  /** Fails once a commit writes BROKEN into app.txt; a commit with an 'unbuildable' file skips. */
  static final String PREDICATE =
      "if [ -e unbuildable ]; then exit 125; fi; if grep -q BROKEN app.txt; then exit 1; fi";

  @TempDir Path temp;

  /** 16 commits after v1; commit 11 breaks the app, commit 8 cannot build (fixed in 9). */
  private Path sixteenCommitRepo() throws Exception {
    Path repo = Files.createDirectory(temp.resolve("app"));
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("app.txt"), "v1\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "v1");
    git(repo, "tag", "v1");
    for (int i = 1; i <= 16; i++) {
      Files.writeString(
          repo.resolve("app.txt"),
          (i == 11 ? "BROKEN " : "") + "feature " + i + "\n",
          java.nio.file.StandardOpenOption.APPEND);
      if (i == 8) {
        Files.writeString(repo.resolve("unbuildable"), "syntax error\n");
      } else {
        Files.deleteIfExists(repo.resolve("unbuildable"));
      }
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "feature " + i);
    }
    return repo;
  }

  @Test
  void findsTheSameCulpritAsGitBisectRun() throws Exception {
    Path repo = sixteenCommitRepo();
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new BisectCellRunner()
              .run(
                  Map.of("repo", repo.toString(), "good", "v1", "bad", "HEAD", "run", PREDICATE),
                  context);
      CellOutput.Bisected bisected =
          assertInstanceOf(CellOutput.Bisected.class, out, out.toString());
      String expected = GitFixtures.gitBisectRun(repo, "HEAD", "v1", PREDICATE);
      System.out.println("tracefix culprit " + bisected.culprit() + " steps " + bisected.steps());
      assertEquals(expected, bisected.culprit());
      assertEquals("feature 11", bisected.subject());
      assertEquals(git(repo, "rev-parse", "HEAD~5"), bisected.culprit());
      assertTrue(bisected.steps().stream().anyMatch(s -> s.verdict().equals("skip")));
    }
  }

  @Test
  void skipsAnUnbuildableCommitAndStillFindsTheCulprit() throws Exception {
    Path repo = sixteenCommitRepo();
    String unbuildable = git(repo, "rev-parse", "HEAD~8");
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      // features 5..13: the first probe lands on the unbuildable feature 8
      String good = git(repo, "rev-parse", "HEAD~12");
      CellOutput out =
          new BisectCellRunner()
              .run(
                  Map.of("repo", repo.toString(), "good", good, "bad", "HEAD~3", "run", PREDICATE),
                  context);
      CellOutput.Bisected bisected =
          assertInstanceOf(CellOutput.Bisected.class, out, out.toString());
      System.out.println("steps " + bisected.steps());
      assertTrue(
          bisected.steps().stream()
              .anyMatch(s -> s.commit().equals(unbuildable) && s.verdict().equals("skip")));
      assertEquals(GitFixtures.gitBisectRun(repo, "HEAD~3", good, PREDICATE), bisected.culprit());
    }
  }

  @Test
  void reportsARepoThatPassesOnTheBadCommit() throws Exception {
    Path repo = sixteenCommitRepo();
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new BisectCellRunner()
              .run(
                  Map.of("repo", repo.toString(), "good", "v1", "bad", "HEAD~8", "run", PREDICATE),
                  context);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out);
      assertEquals("repro", error.errorKind());
      assertTrue(error.message().contains("does not fail on bad"), error.message());
    }
  }

  @Test
  void takesSeveralGoodCommitsAndReportsGitComparableSteps() throws Exception {
    Path repo = sixteenCommitRepo();
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new BisectCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "good",
                      "v1, HEAD~10",
                      "bad",
                      "HEAD",
                      "run",
                      PREDICATE),
                  context);
      CellOutput.Bisected bisected =
          assertInstanceOf(CellOutput.Bisected.class, out, out.toString());
      assertEquals(git(repo, "rev-parse", "HEAD~5"), bisected.culprit());
      assertEquals(
          bisected.steps().size() - 3,
          bisected.stepCount(),
          "bad and both goods are checked, not counted");
      assertTrue(bisected.steps().stream().limit(3).allMatch(s -> s.role().equals("end check")));
    }
  }

  @Test
  void anExitCodeOf128OrMoreStopsTheCellWithTheReason() throws Exception {
    Path repo = sixteenCommitRepo();
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new BisectCellRunner()
              .run(
                  Map.of(
                      "repo",
                      repo.toString(),
                      "good",
                      "v1",
                      "run",
                      "grep -q BROKEN app.txt && exit 1; exit 200"),
                  context);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out, out.toString());
      assertEquals("aborted", error.errorKind());
      assertTrue(error.message().contains("exited with 200"), error.message());
    }
  }

  @Test
  void rejectsAnUnknownKey() throws Exception {
    try (TestCellContext context = new TestCellContext(temp, temp)) {
      CellOutput out =
          new BisectCellRunner()
              .run(Map.of("repo", "x", "good", "v1", "run", "true", "tiemout", "3s"), context);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out);
      assertTrue(error.message().contains("tiemout"), error.message());
    }
  }
}
