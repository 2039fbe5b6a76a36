package dev.tracefix.fixloop.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.TestRepo;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BisectorTest {
  @TempDir Path temp;

  private TestRepo linear(int commits, int broken) throws Exception {
    TestRepo repo = TestRepo.init(temp.resolve("app"));
    repo.commit("v1", "app.txt", "v1\n");
    repo.git("tag", "v1");
    for (int i = 1; i <= commits; i++) {
      repo.append("change " + i, "app.txt", (i == broken ? "BROKEN " : "") + "change " + i);
    }
    return repo;
  }

  private WorkTrees trees(Repository git, Map<String, String> spec) {
    return new WorkTrees(
        git,
        temp.resolve("trees"),
        new ReproHarness(
            ReproSpec.fromMap(spec, temp, "t"),
            temp.resolve("scratch"),
            Control.lines(l -> System.out.println("  " + l), new Cancellation())),
        4);
  }

  @Test
  void aFlakyReproRunThreeTimesFindsTheCulpritAndReportsTheCommitsItDisagreedOn() throws Exception {
    TestRepo repo = linear(12, 7);
    Path seen = Files.createDirectories(temp.resolve("seen"));
    // the first run on every tree fails, whatever the code: a flaky repro
    String flaky =
        "f="
            + seen
            + "/$(md5sum app.txt | cut -c1-12); if [ ! -e $f ]; then touch $f; exit 1; fi; "
            + "grep -q BROKEN app.txt && exit 1; exit 0";
    try (Repository git = GitRepos.open(repo.dir());
        WorkTrees trees = trees(git, Map.of("run", flaky))) {
      BisectResult result =
          new Bisector(trees, Optional.empty())
              .bisect(new BisectOptions(List.of("v1"), "HEAD", false, 3, true));
      BisectResult.Found found = assertInstanceOf(BisectResult.Found.class, result);
      assertEquals(repo.rev(":/^change 7"), found.culprit());
      assertFalse(result.disagreements().isEmpty());
      for (BisectStep step : result.disagreements()) {
        assertEquals("good (good 2, bad 1 of 3)", step.judgement().votes());
      }
    }
  }

  @Test
  void aTreeThatWasBuiltBeforeIsNotBuiltAgain() throws Exception {
    TestRepo repo = TestRepo.init(temp.resolve("app"));
    String first = repo.commit("one", "app.txt", "1\n");
    repo.commit("two", "app.txt", "2\n");
    String revert = repo.commit("revert two", "app.txt", "1\n");
    Path log = temp.resolve("builds.log");
    try (Repository git = GitRepos.open(repo.dir());
        WorkTrees trees = trees(git, Map.of("build", "echo built >> " + log, "run", "true"))) {
      WorkTrees.Prepared a = trees.prepare(GitRepos.commit(git, first));
      WorkTrees.Prepared b = trees.prepare(GitRepos.commit(git, "HEAD~1"));
      WorkTrees.Prepared c = trees.prepare(GitRepos.commit(git, revert));
      assertFalse(a.reused() || b.reused());
      assertTrue(c.reused(), "the revert has the first commit's tree");
      assertEquals(a.dir(), c.dir());
      assertEquals(2, trees.builds());
      assertEquals(2, Files.readAllLines(log).size());
    }
  }

  @Test
  void withBuildAheadTheNextProbeBuildsWhileTheCurrentOneTestsAndTheAnswerIsTheSame()
      throws Exception {
    TestRepo repo = linear(40, 23);
    Path log = temp.resolve("events.log");
    // Every command says when it starts and ends on which commit (the last line of app.txt).
    String build =
        "echo \"build-start $(tail -1 app.txt)\" >> "
            + log
            + "; sleep 0.3; echo \"build-end $(tail -1 app.txt)\" >> "
            + log;
    String run =
        "echo \"run-start $(tail -1 app.txt)\" >> "
            + log
            + "; sleep 0.6; echo \"run-end $(tail -1 app.txt)\" >> "
            + log
            + "; ! grep -q BROKEN app.txt";
    BisectResult.Found plain;
    BisectResult.Found ahead;
    int plainBuilds;
    int aheadBuilds;
    try (Repository git = GitRepos.open(repo.dir());
        WorkTrees trees =
            new WorkTrees(
                git,
                temp.resolve("trees-plain"),
                new ReproHarness(
                    ReproSpec.fromMap(Map.of("build", build, "run", run), temp, "t"),
                    temp.resolve("scratch"),
                    Control.quiet()),
                4)) {
      plain =
          assertInstanceOf(
              BisectResult.Found.class,
              new Bisector(trees, Optional.empty())
                  .bisect(new BisectOptions(List.of("v1"), "HEAD", false, 1, false, false)));
      plainBuilds = trees.builds();
    }
    Files.delete(log);
    try (Repository git = GitRepos.open(repo.dir());
        WorkTrees trees = trees(git, Map.of("build", build, "run", run))) {
      ahead =
          assertInstanceOf(
              BisectResult.Found.class,
              new Bisector(trees, Optional.empty())
                  .bisect(new BisectOptions(List.of("v1"), "HEAD", false, 1, false, true)));
      aheadBuilds = trees.builds();
    }
    assertEquals(repo.rev(":/^change 23"), plain.culprit());
    assertEquals(plain.culprit(), ahead.culprit());
    assertEquals(
        plain.steps(), ahead.steps(), "building ahead never changes which commits are tested");
    // Which builds ran while another commit's repro was running (both under way at one moment)?
    List<String> events = Files.readAllLines(log);
    java.util.Set<String> building = new java.util.HashSet<>();
    java.util.Set<String> runningNow = new java.util.HashSet<>();
    java.util.Set<String> overlappedBuilds = new java.util.TreeSet<>();
    for (String e : events) {
      String commit = e.substring(e.indexOf(' ') + 1);
      switch (e.substring(0, e.indexOf(' '))) {
        case "build-start" -> building.add(commit);
        case "build-end" -> building.remove(commit);
        case "run-start" -> runningNow.add(commit);
        case "run-end" -> runningNow.remove(commit);
        default -> throw new AssertionError(e);
      }
      for (String b : building) {
        if (runningNow.stream().anyMatch(r -> !r.equals(b))) {
          overlappedBuilds.add(b);
        }
      }
    }
    int overlapped = overlappedBuilds.size();
    System.out.printf(
        "steps %d; builds %d without building ahead, %d with it (%d ran while another commit's"
            + " repro ran); stopped ahead builds are not counted%n",
        plain.steps(), plainBuilds, aheadBuilds, overlapped);
    assertTrue(overlapped >= 1, "no build overlapped a repro run:\n" + String.join("\n", events));
    assertTrue(overlapped <= ahead.steps());
  }

  @Test
  void estimatesTheStepsLeftLikeGit() {
    assertEquals(0, Bisector.estimateSteps(2));
    assertEquals(1, Bisector.estimateSteps(3));
    assertEquals(3, Bisector.estimateSteps(12));
    assertEquals(9, Bisector.estimateSteps(1000));
  }

  @Test
  void skipAwayUsesGitsGenerator() {
    // get_prn(1) = ((1 * 1103515245 + 12345) / 65536) % 32768 = 16838
    assertEquals(16838, BisectSearch.prn(1));
    assertEquals(181, BisectSearch.sqrti(32768));
    assertTrue(
        BisectSearch.halfway(5, 10) && BisectSearch.halfway(3, 5) && !BisectSearch.halfway(2, 6));
  }
}
