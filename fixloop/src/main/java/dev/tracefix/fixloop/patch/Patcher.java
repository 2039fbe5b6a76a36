package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.Judgement;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproCommand;
import dev.tracefix.fixloop.repro.Verdict;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The patch step: the strategies in order, each candidate committed on a branch of its own and put
 * through the {@link Guardrails}; the first candidate that passes the review gate is chosen.
 * Nothing is accepted here ({@link Acceptance} does that, on a person's word).
 */
public final class Patcher {
  /**
   * @param culprit the first bad commit
   * @param bad the commit to patch (usually the branch head the incident happened on)
   * @param input the minimized repro input (empty: the repro takes none)
   * @param regressionTest the generated test; a script test must fail at bad and pass on the patch
   * @param tryAll evaluate every strategy's candidates, not just up to the first that passes
   */
  public record Request(
      String culprit,
      String bad,
      Optional<InputTable> input,
      String incident,
      Optional<RegressionTest> regressionTest,
      boolean tryAll) {}

  private final WorkTrees trees;
  private final List<PatchStrategy> strategies;
  private final Path scratch;

  public Patcher(WorkTrees trees, List<PatchStrategy> strategies, Path scratch) {
    this.trees = trees;
    this.strategies = List.copyOf(strategies);
    this.scratch = scratch;
  }

  /**
   * The order the issue asks for: the model (if any), revert, restore a value, close a resource.
   */
  public static List<PatchStrategy> defaultStrategies(Optional<DraftingModel> model) {
    return List.of(
        new ModelStrategy(model),
        new RevertImplicatedHunks(),
        new RestoreChangedValue(),
        new CloseLeakedResource());
  }

  public PatchReport patch(Request request) {
    Control control = trees.harness().control();
    RevCommit culprit =
        CandidateCommits.parse(
            trees.repository(), GitRepos.commit(trees.repository(), request.culprit()));
    RevCommit bad =
        CandidateCommits.parse(
            trees.repository(), GitRepos.commit(trees.repository(), request.bad()));
    CulpritChange change = CulpritChange.of(trees.repository(), culprit);
    control.report(
        ProgressEvent.Stage.PATCH, "checking that the repro fails at " + bad.abbreviate(7).name());
    WorkTrees.Prepared badTree = trees.prepare(bad);
    if (badTree.build().verdict() != Verdict.GOOD) {
      throw new FixLoopException(
          FixLoopException.Kind.REPRO,
          "the bad commit "
              + bad.abbreviate(7).name()
              + " does not build: "
              + badTree.build().summary());
    }
    Judgement atBad = trees.harness().judge(badTree.dir(), request.input());
    if (atBad.verdict() != Verdict.BAD) {
      throw new FixLoopException(
          FixLoopException.Kind.REPRO,
          "the repro does not fail at "
              + bad.abbreviate(7).name()
              + " ("
              + atBad.representative().summary()
              + "); there is nothing to fix");
    }
    PatchContext context =
        new PatchContext(
            trees,
            bad,
            change,
            request.input(),
            request.incident(),
            SecretScan.redact(atBad.representative().outputTail()));
    Guardrails guardrails = new Guardrails(context, request.regressionTest(), scratch);
    String regressionBefore = "";
    if (request.regressionTest().isPresent()
        && request.regressionTest().get().kind() == RegressionTest.Kind.SCRIPT) {
      ReproCommand.Run before =
          guardrails.runScript(
              request.regressionTest().get(), badTree.dir(), trees.harness().spec());
      regressionBefore =
          request.regressionTest().get().path() + " at the bad commit: exit " + before.exitCode();
      if (before.exitCode() == 0) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the generated regression test passes at the bad commit, so it would not catch the bug: "
                + regressionBefore);
      }
    }
    List<PatchReport.StrategyReport> reports = new ArrayList<>();
    Optional<CandidateReport> chosen = Optional.empty();
    Set<String> branches = new HashSet<>();
    for (PatchStrategy strategy : strategies) {
      control.check();
      if (chosen.isPresent() && !request.tryAll()) {
        reports.add(
            new PatchReport.StrategyReport(
                strategy.name(),
                false,
                List.of("an earlier candidate passed the review gate"),
                List.of()));
        continue;
      }
      control.report(ProgressEvent.Stage.PATCH, "strategy " + strategy.name());
      PatchStrategy.Proposal proposal = strategy.propose(context);
      proposal
          .notes()
          .forEach(n -> control.report(ProgressEvent.Stage.PATCH, strategy.name() + ": " + n));
      List<CandidateReport> candidates = new ArrayList<>();
      for (Candidate candidate : proposal.candidates()) {
        if (chosen.isPresent() && !request.tryAll()) {
          break;
        }
        CandidateReport report = review(candidate, culprit, bad, guardrails, branches);
        control.report(
            ProgressEvent.Stage.REVIEW,
            report.summary()
                + " on "
                + report.branch()
                + ": "
                + (report.passed() ? "passes the review gate" : "refused, " + report.reason()));
        candidates.add(report);
        if (report.passed() && chosen.isEmpty()) {
          chosen = Optional.of(report);
        }
      }
      reports.add(
          new PatchReport.StrategyReport(strategy.name(), true, proposal.notes(), candidates));
    }
    return new PatchReport(
        culprit.name(),
        culprit.getShortMessage(),
        bad.name(),
        (atBad.attempts().size() > 1 ? atBad.votes() + ", " : "")
            + atBad.representative().summary(),
        regressionBefore,
        List.copyOf(reports),
        chosen);
  }

  private CandidateReport review(
      Candidate candidate,
      RevCommit culprit,
      RevCommit bad,
      Guardrails guardrails,
      Set<String> branches) {
    String base = "tracefix/" + candidate.strategy() + "-" + culprit.abbreviate(7).name();
    String branch = base;
    for (int n = 2; !branches.add(branch); n++) {
      branch = base + "-" + n;
    }
    String message =
        "tracefix draft ("
            + candidate.strategy()
            + "): "
            + candidate.summary()
            + "\n\nCulprit: "
            + culprit.name()
            + " \""
            + culprit.getShortMessage()
            + "\"\n"
            + "Drafted on top of "
            + bad.name()
            + "; not reviewed yet.\n";
    ObjectId commit =
        CandidateCommits.commit(
            trees.repository(), bad, candidate.edits(), message, CandidateCommits.TRACEFIX);
    String diff = CandidateCommits.diff(trees.repository(), bad, commit);
    List<SecretScan.Finding> secrets = SecretScan.addedSecrets(diff);
    List<Check> checks;
    if (!secrets.isEmpty()) {
      // Refused before any branch points at it: a secret must not get a name in the repository.
      branch = "";
      checks = guardrails.refused(secrets);
    } else {
      CandidateCommits.publish(trees.repository(), branch, commit, candidate.strategy());
      checks = guardrails.check(commit, diff);
    }
    return new CandidateReport(
        candidate.strategy(),
        candidate.summary(),
        branch,
        commit.name(),
        SecretScan.redact(diff),
        candidate.log().stream().map(SecretScan::redact).toList(),
        checks);
  }
}
