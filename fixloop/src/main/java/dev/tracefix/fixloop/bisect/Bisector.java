package dev.tracefix.fixloop.bisect;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import dev.tracefix.fixloop.repro.Attempt;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.Judgement;
import dev.tracefix.fixloop.repro.Verdict;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code git bisect run} over the whole commit graph: {@link BisectSearch} picks each commit as git
 * would, {@link WorkTrees} writes and builds its tree (once per tree id), the repro judges it by
 * its exit code (0 good, 1–127 bad, 125 skip, 128 or more aborts).
 *
 * <p>Beyond git: the given ends can be checked first ({@link BisectOptions#checkEnds}), and a flaky
 * repro can be run {@code repeat} times per commit, the majority deciding and the commits whose
 * runs disagreed reported.
 */
public final class Bisector {
  private final WorkTrees trees;
  private final Optional<InputTable> input;
  private final Control control;

  public Bisector(WorkTrees trees, Optional<InputTable> input) {
    this.trees = trees;
    this.input = input;
    this.control = trees.harness().control();
  }

  public BisectResult bisect(BisectOptions options) {
    Repository repo = trees.repository();
    if (options.goods().isEmpty()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "bisect needs at least one good commit");
    }
    ObjectId bad = GitRepos.commit(repo, options.bad());
    Set<ObjectId> goods = new LinkedHashSet<>();
    for (String good : options.goods()) {
      ObjectId id = GitRepos.commit(repo, good);
      if (id.equals(bad)) {
        throw new FixLoopException(
            FixLoopException.Kind.USER,
            "good " + good + " and bad " + options.bad() + " are the same commit");
      }
      goods.add(id);
    }
    List<BisectStep> tested = new ArrayList<>();
    if (options.checkEnds()) {
      checkEnds(bad, options, goods, tested);
    }
    Set<ObjectId> skipped = new LinkedHashSet<>();
    boolean ancestorsChecked = false;
    Ahead ahead = null;
    List<Ahead> started = new ArrayList<>();
    try {
      while (true) {
        control.check();
        if (!ancestorsChecked) {
          Optional<ObjectId> base = mergeBaseToTest(repo, bad, goods, skipped);
          if (base.isPresent()) {
            control.report(
                ProgressEvent.Stage.BISECT,
                "a merge base must be tested: " + base.get().abbreviate(7).name());
            Verdict verdict = judge(base.get(), BisectStep.Role.MERGE_BASE, options, tested, -1);
            switch (verdict) {
              case GOOD -> goods.add(base.get());
              case BAD -> bad = base.get();
              case SKIP -> skipped.add(base.get());
              case ABORT -> throw aborted(tested.getLast());
            }
            continue;
          }
          ancestorsChecked = true;
        }
        List<BisectSearch.Node> candidates =
            CommitGraph.candidates(repo, bad, goods, options.firstParent());
        BisectSearch.Next next = BisectSearch.next(candidates, bad, skipped, options.firstParent());
        switch (next) {
          case BisectSearch.Next.Found found -> {
            RevCommit culprit = CommitGraph.parse(repo, found.commit());
            control.report(
                ProgressEvent.Stage.BISECT, culprit.getId().name() + " is the first bad commit");
            return new BisectResult.Found(
                culprit.getId().name(), culprit.getShortMessage(), List.copyOf(tested));
          }
          case BisectSearch.Next.OnlySkipped only -> {
            control.report(ProgressEvent.Stage.BISECT, "only skipped commits are left to test");
            return new BisectResult.OnlySkipped(
                only.candidates().stream().map(ObjectId::name).toList(), List.copyOf(tested));
          }
          case BisectSearch.Next.Probe probe -> {
            int bound = steps(tested) + 1 + estimateSteps(probe.candidates());
            control.report(
                ProgressEvent.Stage.BISECT,
                steps(tested),
                bound,
                probe.remaining()
                    + " revisions left to test after "
                    + probe.commit().abbreviate(7).name());
            ahead =
                options.buildAhead() ? buildAhead(repo, probe, bad, goods, skipped, options) : null;
            if (ahead != null) {
              started.add(ahead);
            }
            Verdict verdict = judge(probe.commit(), BisectStep.Role.PROBE, options, tested, bound);
            if (ahead != null && verdict != ahead.premise()) {
              ahead.stop(); // the other way: that build is not needed next
            }
            switch (verdict) {
              case GOOD -> goods.add(probe.commit());
              case BAD -> bad = probe.commit();
              case SKIP -> skipped.add(probe.commit());
              case ABORT -> throw aborted(tested.getLast());
            }
          }
        }
      }
    } finally {
      started.forEach(Ahead::stopAndWait);
    }
  }

  /** A build started ahead of need, on a thread of its own, for the verdict {@code premise}. */
  private record Ahead(Verdict premise, Cancellation cancel, Thread thread) {
    void stop() {
      cancel.cancel();
    }

    /**
     * Stops it unless it is done, and waits: nothing may write a work tree once the bisect is over.
     */
    void stopAndWait() {
      if (thread.isAlive()) {
        cancel.cancel();
      }
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts building the commit that comes next if {@code probe} gets the likelier verdict: the one
   * that leaves more candidates (each candidate equally likely to be the culprit). The main
   * thread's {@link WorkTrees#prepare} of that commit then waits for this build instead of
   * repeating it. Null when the next step would not test a commit.
   */
  private Ahead buildAhead(
      Repository repo,
      BisectSearch.Next.Probe probe,
      ObjectId bad,
      Set<ObjectId> goods,
      Set<ObjectId> skipped,
      BisectOptions options) {
    List<BisectSearch.Node> ifBad =
        CommitGraph.candidates(repo, probe.commit(), goods, options.firstParent());
    Set<ObjectId> goodsIfGood = new LinkedHashSet<>(goods);
    goodsIfGood.add(probe.commit());
    List<BisectSearch.Node> ifGood =
        CommitGraph.candidates(repo, bad, goodsIfGood, options.firstParent());
    boolean badLikelier = ifBad.size() >= ifGood.size();
    BisectSearch.Next next =
        badLikelier
            ? BisectSearch.next(ifBad, probe.commit(), skipped, options.firstParent())
            : BisectSearch.next(ifGood, bad, skipped, options.firstParent());
    if (!(next instanceof BisectSearch.Next.Probe following)) {
      return null;
    }
    Cancellation cancel = new Cancellation();
    control.report(
        ProgressEvent.Stage.BUILD,
        "building "
            + following.commit().abbreviate(7).name()
            + " ahead, the next commit if "
            + probe.commit().abbreviate(7).name()
            + " is "
            + (badLikelier ? "bad" : "good"));
    Thread thread =
        Thread.ofPlatform()
            .name("tracefix-build-ahead")
            .start(
                () -> {
                  try {
                    trees.prepare(following.commit(), cancel);
                  } catch (FixLoopException stoppedOrFailed) {
                    // stopped, or a failure the main thread meets again when it needs this commit
                  }
                });
    return new Ahead(badLikelier ? Verdict.BAD : Verdict.GOOD, cancel, thread);
  }

  /** Like git: when a good commit is not below bad, their merge bases are tested first. */
  private Optional<ObjectId> mergeBaseToTest(
      Repository repo, ObjectId bad, Set<ObjectId> goods, Set<ObjectId> skipped) {
    if (CommitGraph.goodsNotBelow(repo, bad, goods).isEmpty()) {
      return Optional.empty();
    }
    for (ObjectId base : CommitGraph.mergeBases(repo, bad, goods)) {
      if (base.equals(bad)) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the merge base "
                + bad.name()
                + " is bad: the bug was fixed between "
                + bad.name()
                + " and "
                + goods.stream().map(ObjectId::name).toList()
                + " (git bisect stops here too)");
      }
      if (goods.contains(base)) {
        continue;
      }
      if (skipped.contains(base)) {
        control.report(
            ProgressEvent.Stage.BISECT,
            "warning: the merge base "
                + base.abbreviate(7).name()
                + " was skipped, so the first bad commit may not be between it and bad; going on");
        continue;
      }
      return Optional.of(base);
    }
    return Optional.empty();
  }

  private void checkEnds(
      ObjectId bad, BisectOptions options, Set<ObjectId> goods, List<BisectStep> tested) {
    control.report(
        ProgressEvent.Stage.BISECT,
        "checking the ends: bad "
            + bad.abbreviate(7).name()
            + " must fail, "
            + goods.size()
            + " good commit(s) must pass (not counted as steps)");
    Verdict onBad = judge(bad, BisectStep.Role.END_CHECK, options, tested, -1);
    if (onBad != Verdict.BAD) {
      if (onBad == Verdict.ABORT) {
        throw aborted(tested.getLast());
      }
      throw new FixLoopException(
          FixLoopException.Kind.REPRO,
          "the repro does not fail on bad "
              + options.bad()
              + " ("
              + bad.abbreviate(7).name()
              + "): "
              + tested.getLast().judgement().representative().summary());
    }
    for (ObjectId good : goods) {
      Verdict onGood = judge(good, BisectStep.Role.END_CHECK, options, tested, -1);
      if (onGood != Verdict.GOOD) {
        if (onGood == Verdict.ABORT) {
          throw aborted(tested.getLast());
        }
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the repro does not pass on good "
                + good.abbreviate(7).name()
                + ": "
                + tested.getLast().judgement().representative().summary());
      }
    }
  }

  private Verdict judge(
      ObjectId commitId,
      BisectStep.Role role,
      BisectOptions options,
      List<BisectStep> tested,
      int bound) {
    control.check();
    WorkTrees.Prepared tree = trees.prepare(commitId);
    Judgement judgement =
        tree.build().verdict() == Verdict.GOOD
            ? trees.harness().judge(tree.dir(), input, options.repeat())
            : Judgement.of(List.of(tree.build()));
    RevCommit commit = CommitGraph.parse(trees.repository(), commitId);
    BisectStep step =
        new BisectStep(commit.getId().name(), commit.getShortMessage(), role, judgement);
    tested.add(step);
    Attempt shown = judgement.representative();
    String what =
        switch (role) {
          case PROBE -> "";
          case MERGE_BASE -> " [merge base]";
          case END_CHECK -> " [end check]";
        };
    control.report(
        ProgressEvent.Stage.BISECT,
        role.countsAsStep() ? steps(tested) : -1,
        bound,
        commit.getId().abbreviate(7).name()
            + " "
            + judgement.votes()
            + " (exit "
            + shown.exitCode()
            + (shown.note().isEmpty() ? "" : ", " + shown.note())
            + (tree.reused() ? ", tree reused" : "")
            + ")"
            + what
            + "  "
            + commit.getShortMessage());
    return judgement.verdict();
  }

  private static int steps(List<BisectStep> tested) {
    return (int) tested.stream().filter(s -> s.role().countsAsStep()).count();
  }

  private static FixLoopException aborted(BisectStep step) {
    Attempt a = step.judgement().representative();
    return new FixLoopException(
        FixLoopException.Kind.ABORTED,
        "bisect aborted: the repro exited with "
            + a.exitCode()
            + " on "
            + step.commit()
            + "; exit codes of 128 or more (or a signal) stop a bisect, as they stop 'git bisect run'"
            + (a.lastLine().isEmpty() ? "" : " (last output: " + a.lastLine() + ")"));
  }

  /** git's estimate of the steps left after the current one, for the progress bound. */
  static int estimateSteps(int all) {
    if (all < 3) {
      return 0;
    }
    int n = 31 - Integer.numberOfLeadingZeros(all);
    int e = 1 << n;
    int x = all - e;
    return (e < 3 * x) ? n : n - 1;
  }
}
