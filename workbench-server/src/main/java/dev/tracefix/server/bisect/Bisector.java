package dev.tracefix.server.bisect;

import dev.tracefix.server.fixloop.FixLoopException;
import dev.tracefix.server.fixloop.ReproCommand;
import dev.tracefix.server.fixloop.TreeMaterializer;
import dev.tracefix.server.fixloop.Verdict;
import dev.tracefix.server.run.CellOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Binary search for the first bad commit on the first-parent chain from {@code good} to {@code
 * bad}, like {@code git bisect run} on a linear history: each step writes the commit's tree into
 * its own folder ({@link TreeMaterializer}) and runs the repro there.
 *
 * <p>Unlike {@code git bisect}, both ends are tested first, so a repro that passes on the bad
 * commit (or fails on the good one) is reported instead of blaming an innocent commit.
 */
public final class Bisector {
  private final Repository repo;
  private final ReproCommand repro;
  private final int repeat;
  private final Path workRoot;
  private final Consumer<String> progress;

  public Bisector(
      Repository repo, ReproCommand repro, int repeat, Path workRoot, Consumer<String> progress) {
    this.repo = repo;
    this.repro = repro;
    this.repeat = repeat;
    this.workRoot = workRoot;
    this.progress = progress;
  }

  public CellOutput.Bisected bisect(String goodRef, String badRef) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit good = walk.parseCommit(resolve(goodRef));
      RevCommit bad = walk.parseCommit(resolve(badRef));
      List<RevCommit> range = firstParentRange(walk, good, bad); // oldest first, ends with bad
      progress.accept(
          "bisecting " + range.size() + " commit(s) after " + good.abbreviate(7).name());
      List<CellOutput.BisectStep> steps = new ArrayList<>();
      if (test(bad, steps) != Verdict.BAD) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the repro does not fail on bad " + badRef + " (" + bad.abbreviate(7).name() + ")");
      }
      if (test(good, steps) != Verdict.GOOD) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the repro does not pass on good " + goodRef + " (" + good.abbreviate(7).name() + ")");
      }
      int lastGood = -1; // index into range; -1 is the good commit itself
      int firstBad = range.size() - 1;
      Set<Integer> skipped = new HashSet<>();
      while (firstBad - lastGood > 1) {
        int probe = pickProbe(lastGood, firstBad, skipped);
        if (probe < 0) {
          throw new FixLoopException(
              FixLoopException.Kind.REPRO,
              "only skipped commits are left; the first bad commit is one of "
                  + ids(range.subList(lastGood + 1, firstBad + 1)));
        }
        switch (test(range.get(probe), steps)) {
          case GOOD -> lastGood = probe;
          case BAD -> firstBad = probe;
          case SKIP -> skipped.add(probe);
          case ABORT -> throw new FixLoopException(
              FixLoopException.Kind.REPRO,
              "the repro aborted on " + range.get(probe).name() + " (exit >= 128); bisect stopped");
        }
      }
      RevCommit culprit = range.get(firstBad);
      progress.accept(culprit.abbreviate(7).name() + " is the first bad commit");
      return new CellOutput.Bisected(culprit.name(), culprit.getShortMessage(), List.copyOf(steps));
    } catch (IOException e) {
      throw new FixLoopException(FixLoopException.Kind.GIT, "cannot read " + repo + ": " + e, e);
    }
  }

  /** The untested index in (lastGood, firstBad) nearest the middle, or -1 if all are skipped. */
  static int pickProbe(int lastGood, int firstBad, Set<Integer> skipped) {
    int middle = lastGood + (firstBad - lastGood) / 2;
    for (int distance = 0; distance < firstBad - lastGood; distance++) {
      for (int candidate : new int[] {middle - distance, middle + distance}) {
        if (candidate > lastGood && candidate < firstBad && !skipped.contains(candidate)) {
          return candidate;
        }
      }
    }
    return -1;
  }

  private ObjectId resolve(String ref) throws IOException {
    ObjectId id = repo.resolve(ref + "^{commit}");
    if (id == null) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "'" + ref + "' is not a commit in " + repo.getDirectory());
    }
    return id;
  }

  private static List<RevCommit> firstParentRange(RevWalk walk, RevCommit good, RevCommit bad)
      throws IOException {
    List<RevCommit> range = new ArrayList<>();
    RevCommit at = bad;
    while (!at.equals(good)) {
      range.add(at);
      if (at.getParentCount() == 0) {
        throw new FixLoopException(
            FixLoopException.Kind.USER,
            good.name() + " is not on the first-parent history of " + bad.name());
      }
      at = walk.parseCommit(at.getParent(0));
    }
    if (range.isEmpty()) {
      throw new FixLoopException(FixLoopException.Kind.USER, "good and bad are the same commit");
    }
    Collections.reverse(range);
    return range;
  }

  /** Runs the repro {@code repeat} times on a commit; the majority verdict wins, a tie skips. */
  private Verdict test(RevCommit commit, List<CellOutput.BisectStep> steps) {
    String shortId = commit.abbreviate(7).name();
    Path tree = TreeMaterializer.materialize(repo, commit, workRoot.resolve("bisect-" + shortId));
    try {
      Map<Verdict, Integer> votes = new EnumMap<>(Verdict.class);
      Map<Verdict, Integer> exitCodes = new EnumMap<>(Verdict.class);
      for (int i = 0; i < repeat; i++) {
        ReproCommand.Run run = repro.run(tree, List.of(), Map.of());
        Verdict verdict = Verdict.ofExitCode(run.exitCode());
        votes.merge(verdict, 1, Integer::sum);
        exitCodes.putIfAbsent(verdict, run.exitCode());
        if (verdict == Verdict.ABORT) {
          break;
        }
      }
      Verdict verdict = majority(votes);
      int exitCode = exitCodes.getOrDefault(verdict, exitCodes.values().iterator().next());
      steps.add(new CellOutput.BisectStep(commit.name(), verdict.word(), exitCode));
      progress.accept(
          shortId + " " + verdict.word() + " (exit " + exitCode + ")  " + commit.getShortMessage());
      return verdict;
    } finally {
      TreeMaterializer.deleteRecursively(tree);
    }
  }

  private static Verdict majority(Map<Verdict, Integer> votes) {
    if (votes.containsKey(Verdict.ABORT)) {
      return Verdict.ABORT;
    }
    Verdict best = Verdict.SKIP;
    int bestVotes = 0;
    boolean tie = false;
    for (Map.Entry<Verdict, Integer> e : votes.entrySet()) {
      if (e.getValue() > bestVotes) {
        best = e.getKey();
        bestVotes = e.getValue();
        tie = false;
      } else if (e.getValue() == bestVotes) {
        tie = true;
      }
    }
    return tie ? Verdict.SKIP : best;
  }

  private static List<String> ids(List<RevCommit> commits) {
    return commits.stream().map(c -> c.abbreviate(7).name()).toList();
  }
}
