package dev.tracefix.fixloop.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.GitBisectRun;
import dev.tracefix.fixloop.TestRepo;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our bisect against the real {@code git bisect run} on one repository this test builds: a feature
 * branch merged back, a side branch never merged, an octopus merge of three branches, a rename, and
 * a range of commits that cannot build (the predicate exits 125 there). For each predicate the
 * culprit (or the set of commits left when only skipped ones remain) must be git's, and the steps
 * (commands run) at most git's + 1.
 */
class GitBisectParityTest {
  private static final String SKIP_UNBUILDABLE = "[ -e BROKEN_BUILD ] && exit 125; ";
  private static final List<String> TABLE = new ArrayList<>();

  @TempDir static Path temp;
  static TestRepo repo;
  static String v1;
  static String unmerged;

  @BeforeAll
  static void buildHistory() throws Exception {
    repo = TestRepo.init(temp.resolve("graph"));
    v1 = repo.commit("m1: first release", Map.of("app.txt", "v1\n", "lib.txt", "lib 1\n"));
    repo.git("tag", "v1");
    repo.append("m2: app grows", "app.txt", "m2");
    repo.git("branch", "feat");
    repo.git("branch", "side");
    repo.append("m3", "app.txt", "m3");
    repo.append("m4", "lib.txt", "m4");
    repo.checkout("feat");
    repo.append("f1: feature starts", "feat.txt", "f1");
    repo.append("f2: feature core", "feat.txt", "f2 BUG-feat");
    repo.append("f3: feature done", "feat.txt", "f3");
    repo.checkout("side");
    unmerged = repo.append("u1: experiment never merged", "side.txt", "u1");
    repo.checkout("main");
    repo.append("m5", "app.txt", "m5");
    repo.merge("M1: merge feat", "feat");
    repo.append("m6", "lib.txt", "m6");
    for (String b : List.of("o1", "o2", "o3")) {
      repo.git("branch", b);
    }
    repo.checkout("o1");
    repo.append("o1a", "o1.txt", "o1a");
    repo.checkout("o2");
    repo.append("o2a", "o2.txt", "o2a");
    repo.append("o2b: octopus branch breaks", "o2.txt", "o2b BUG-octo");
    repo.append("o2c", "o2.txt", "o2c");
    repo.checkout("o3");
    repo.append("o3a", "o3.txt", "o3a");
    repo.append("o3b", "o3.txt", "o3b");
    repo.checkout("main");
    repo.append("m7", "lib.txt", "m7");
    repo.merge("M2: octopus merge o1 o2 o3", "o1", "o2", "o3");
    repo.mv("m8: move app.txt to core/app.txt", "app.txt", "core/app.txt");
    repo.append("m9: main breaks", "core/app.txt", "m9 BUG-main");
    repo.append("m10", "lib.txt", "m10");
    repo.commit("s1: build breaks", Map.of("BROKEN_BUILD", "x\n", "lib.txt", "s1\n"));
    repo.append("s2: bug inside the unbuildable range", "core/app.txt", "s2 BUG-skip");
    repo.append("s3", "lib.txt", "s3");
    repo.append("s4", "core/app.txt", "s4");
    repo.git("rm", "-q", "BROKEN_BUILD");
    repo.commit("s5: build fixed", Map.of());
    for (int i = 11; i <= 14; i++) {
      repo.append(
          "m" + i + (i == 12 ? ": late bug" : ""),
          "lib.txt",
          "m" + i + (i == 12 ? " BUG-late" : ""));
    }
  }

  @AfterAll
  static void printTable() {
    System.out.println(
        "| predicate | git culprit | git steps | tracefix culprit | tracefix steps |");
    System.out.println("|---|---|---|---|---|");
    TABLE.forEach(System.out::println);
  }

  private static String bug(String token) {
    return SKIP_UNBUILDABLE + "grep -rqs " + token + " . && exit 1; exit 0";
  }

  @Test
  void aBugOnTheMainLineAfterMergesAndARename() throws Exception {
    same("bug on main after the merges", bug("BUG-main"), List.of("v1"), false);
  }

  @Test
  void aBugInsideAMergedFeatureBranch() throws Exception {
    same("bug in a merged branch", bug("BUG-feat"), List.of("v1"), false);
  }

  @Test
  void aBugInOneBranchOfAnOctopusMerge() throws Exception {
    same("bug in an octopus branch", bug("BUG-octo"), List.of("v1"), false);
  }

  @Test
  void theRenameItselfIsTheCulprit() throws Exception {
    same(
        "a rename breaks",
        SKIP_UNBUILDABLE + "[ -e core/app.txt ] && exit 1; exit 0",
        List.of("v1"),
        false);
  }

  @Test
  void aBugRightAfterTheUnbuildableRange() throws Exception {
    same("bug after a skipped range", bug("BUG-late"), List.of("v1"), false);
  }

  @Test
  void aBugInsideTheUnbuildableRangeLeavesOnlySkippedCommits() throws Exception {
    same("bug inside a skipped range", bug("BUG-skip"), List.of("v1"), false);
  }

  @Test
  void firstParentBlamesTheMergeOfTheFeatureBranch() throws Exception {
    same("--first-parent, bug in a merged branch", bug("BUG-feat"), List.of("v1"), true);
  }

  @Test
  void firstParentBlamesTheOctopusMerge() throws Exception {
    same("--first-parent, bug in an octopus branch", bug("BUG-octo"), List.of("v1"), true);
  }

  @Test
  void severalGoodCommitsOneOfThemOnABranchNeverMerged() throws Exception {
    same(
        "goods v1 + an unmerged branch (merge base tested)",
        bug("BUG-main"),
        List.of("v1", unmerged),
        false);
  }

  @Test
  void severalGoodCommitsOnBothSidesOfAMerge() throws Exception {
    same(
        "goods on both sides of a merge",
        bug("BUG-octo"),
        List.of(repo.rev(":/^o1a"), repo.rev(":/^m7")),
        false);
  }

  @Test
  void anExitCodeOf128OrMoreAbortsOnTheSameCommitAsGit() throws Exception {
    String abort = "grep -rqs BUG-main . && exit 1; exit 129";
    GitBisectRun git = GitBisectRun.run(repo, "HEAD", List.of("v1"), false, abort);
    assertNotEquals(0, git.exitCode(), git.output());
    assertNull(git.firstBad(), git.output());
    Matcher firstProbe = Pattern.compile("\\[([0-9a-f]{40})]").matcher(git.output());
    assertTrue(firstProbe.find(), git.output());
    FixLoopException e =
        assertThrows(FixLoopException.class, () -> ours(abort, List.of("v1"), false, false));
    System.out.println("git said:\n" + git.output() + "\nwe said: " + e.getMessage());
    assertEquals(FixLoopException.Kind.ABORTED, e.kind());
    assertTrue(
        e.getMessage().contains("exited with 129 on " + firstProbe.group(1)), e.getMessage());
    assertTrue(e.getMessage().contains("128 or more"), e.getMessage());
  }

  @Test
  void anExitCodeOf125IsASkipAndNeverBlamed() throws Exception {
    BisectResult result = ours(bug("BUG-late"), List.of("v1"), false, true);
    BisectResult.Found found = assertInstanceOf(BisectResult.Found.class, result);
    assertEquals(repo.rev(":/^m12"), found.culprit());
    for (BisectStep step : result.tested()) {
      if (step.judgement().verdict() == dev.tracefix.fixloop.repro.Verdict.SKIP) {
        assertEquals(125, step.judgement().representative().exitCode());
      }
    }
  }

  private void same(String name, String predicate, List<String> goods, boolean firstParent)
      throws Exception {
    GitBisectRun git = GitBisectRun.run(repo, "HEAD", goods, firstParent, predicate);
    BisectResult ours = ours(predicate, goods, firstParent, true);
    String gitCulprit =
        git.firstBad() != null
            ? git.firstBad().substring(0, 10)
            : "only skipped: " + shortIds(git.onlySkipped());
    String ourCulprit =
        switch (ours) {
          case BisectResult.Found f -> f.culprit().substring(0, 10);
          case BisectResult.OnlySkipped s -> "only skipped: " + shortIds(s.candidates());
        };
    TABLE.add(
        "| "
            + name
            + " | "
            + gitCulprit
            + " | "
            + git.steps()
            + " | "
            + ourCulprit
            + " | "
            + ours.steps()
            + " |");
    System.out.println(
        name
            + ": git "
            + gitCulprit
            + " in "
            + git.steps()
            + " steps; ours "
            + ourCulprit
            + " in "
            + ours.steps());
    if (git.firstBad() != null) {
      BisectResult.Found found = assertInstanceOf(BisectResult.Found.class, ours, git.output());
      assertEquals(git.firstBad(), found.culprit(), git.output());
      assertEquals(0, git.exitCode());
    } else {
      BisectResult.OnlySkipped skipped =
          assertInstanceOf(BisectResult.OnlySkipped.class, ours, git.output());
      assertEquals(
          new HashSet<>(git.onlySkipped()), new HashSet<>(skipped.candidates()), git.output());
      assertEquals(2, git.exitCode(), git.output());
    }
    assertTrue(
        ours.steps() <= git.steps() + 1, "steps: ours " + ours.steps() + ", git " + git.steps());
  }

  private static String shortIds(List<String> ids) {
    return ids.stream().map(id -> id.substring(0, 7)).sorted().toList().toString();
  }

  static BisectResult ours(
      String predicate, List<String> goods, boolean firstParent, boolean checkEnds) {
    ReproSpec spec = ReproSpec.ofRun(predicate, Duration.ofSeconds(30));
    try (Repository git = GitRepos.open(repo.dir());
        WorkTrees trees =
            new WorkTrees(
                git,
                temp.resolve("trees"),
                new ReproHarness(
                    spec,
                    temp.resolve("scratch"),
                    Control.lines(
                        line -> System.out.println("  " + line),
                        new dev.tracefix.fixloop.Cancellation())),
                4)) {
      return new Bisector(trees, Optional.empty())
          .bisect(new BisectOptions(goods, "HEAD", firstParent, 1, checkEnds));
    }
  }
}
