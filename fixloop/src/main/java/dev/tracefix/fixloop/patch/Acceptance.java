package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.UserConfig;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A person accepts the chosen candidate: the fix and the generated regression test become one
 * commit on the candidate's branch (parent: the bad commit, replacing the draft), with a message
 * that names the incident, the culprit, the repro and the test; and a pull-request description in
 * Markdown with the repro's figures before and after.
 *
 * <p>Refuses a report whose candidates all failed the review gate: such a candidate is shown, never
 * accepted.
 */
public final class Acceptance {
  /**
   * What to write into the commit and the PR.
   *
   * @param reproSource where the spec lives (a file in the repository, a notebook cell)
   * @param originalRows rows of the input before minimizing
   * @param bisectSteps steps the bisect took (-1: the culprit was given)
   */
  public record Request(
      String incident,
      ReproSpec spec,
      String reproSource,
      Optional<InputTable> minimal,
      int originalRows,
      Optional<RegressionTest> test,
      int bisectSteps,
      int figureRuns) {}

  /** The accepted commit and the PR description. */
  public record Accepted(
      String branch,
      String commit,
      String message,
      String pullRequest,
      ReproFigures before,
      ReproFigures after) {}

  private Acceptance() {}

  public static Accepted accept(WorkTrees trees, PatchReport report, Request request) {
    CandidateReport chosen =
        report
            .chosen()
            .orElseThrow(
                () ->
                    new FixLoopException(
                        FixLoopException.Kind.GUARDRAIL,
                        "no candidate passed the review gate; nothing to accept: "
                            + String.join("; ", report.lines())));
    var control = trees.harness().control();
    control.report(
        ProgressEvent.Stage.ACCEPT,
        "measuring the repro before and after (" + request.figureRuns() + " runs each)");
    RevCommit bad = CandidateCommits.parse(trees.repository(), ObjectId.fromString(report.bad()));
    ReproFigures before =
        ReproFigures.measure(
            trees.harness(), trees.prepare(bad).dir(), request.minimal(), request.figureRuns());
    ReproFigures after =
        ReproFigures.measure(
            trees.harness(),
            trees.prepare(ObjectId.fromString(chosen.commit())).dir(),
            request.minimal(),
            request.figureRuns());
    if (after.failures() > 0) {
      throw new FixLoopException(
          FixLoopException.Kind.GUARDRAIL,
          "the repro failed "
              + after.failing()
              + " times on "
              + chosen.branch()
              + " while measuring; not accepted (flaky?)");
    }
    RevCommit draft =
        CandidateCommits.parse(trees.repository(), ObjectId.fromString(chosen.commit()));
    List<FileEdit> edits = new ArrayList<>(editsOf(trees, bad, draft));
    request
        .test()
        .ifPresent(
            t ->
                edits.add(
                    new FileEdit(t.path(), t.content(), t.kind() == RegressionTest.Kind.SCRIPT)));
    String incident = request.incident().isBlank() ? "the incident" : request.incident();
    String message = message(report, chosen, request, incident);
    PersonIdent author = person(trees);
    ObjectId accepted = CandidateCommits.commit(trees.repository(), bad, edits, message, author);
    CandidateCommits.publish(
        trees.repository(), chosen.branch(), accepted, "accepted " + chosen.strategy());
    control.report(
        ProgressEvent.Stage.ACCEPT,
        "committed " + accepted.abbreviate(12).name() + " on " + chosen.branch());
    String pr =
        PullRequestText.render(
            report,
            chosen,
            request,
            incident,
            accepted.name(),
            before,
            after,
            CandidateCommits.diff(trees.repository(), bad, accepted));
    return new Accepted(chosen.branch(), accepted.name(), message, pr, before, after);
  }

  static String message(
      PatchReport report, CandidateReport chosen, Request request, String incident) {
    StringBuilder m = new StringBuilder();
    m.append("Fix ").append(incident).append(": ").append(chosen.summary()).append("\n\n");
    m.append("Incident: ").append(incident).append('\n');
    m.append("Culprit: ")
        .append(report.culprit())
        .append(" \"")
        .append(report.culpritSubject())
        .append("\"")
        .append(
            request.bisectSteps() >= 0
                ? " (first bad commit, bisected in " + request.bisectSteps() + " steps)"
                : "")
        .append('\n');
    m.append("Repro: ").append(request.spec().run());
    request
        .minimal()
        .ifPresent(
            i ->
                m.append(" on ")
                    .append(i.size())
                    .append(" input row(s), minimized from ")
                    .append(request.originalRows()));
    m.append(" (").append(request.reproSource()).append(")\n");
    m.append("Test: ")
        .append(
            request
                .test()
                .map(t -> t.path() + " (fails before this commit, passes after)")
                .orElse("none generated"))
        .append('\n');
    m.append("Strategy: ").append(chosen.strategy()).append("; review gate: ");
    m.append(
        String.join(
            ", ", chosen.checks().stream().map(c -> c.name() + " " + c.status().word()).toList()));
    m.append("\n\nDrafted by tracefix and accepted after review.\n");
    return SecretScan.redact(m.toString());
  }

  /** The candidate's changes as edits (so the test file can join them in one commit). */
  private static List<FileEdit> editsOf(WorkTrees trees, RevCommit bad, RevCommit draft) {
    List<FileEdit> edits = new ArrayList<>();
    for (String path : CandidateCommits.changedPaths(trees.repository(), bad, draft)) {
      try (var reader = trees.repository().newObjectReader();
          var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(reader, path, draft.getTree())) {
        if (walk == null) {
          edits.add(FileEdit.delete(path));
        } else {
          edits.add(
              FileEdit.write(
                  path,
                  new String(
                      reader.open(walk.getObjectId(0)).getBytes(),
                      java.nio.charset.StandardCharsets.UTF_8)));
        }
      } catch (java.io.IOException e) {
        throw new FixLoopException(
            FixLoopException.Kind.GIT, "cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    return edits;
  }

  /** The person accepting: the repository's user.name/user.email, else "tracefix". */
  private static PersonIdent person(WorkTrees trees) {
    UserConfig user = trees.repository().getConfig().get(UserConfig.KEY);
    String name = user.getAuthorName();
    String email = user.getAuthorEmail();
    if (name == null || name.isBlank() || user.isAuthorNameImplicit()) {
      return CandidateCommits.TRACEFIX;
    }
    return new PersonIdent(name, email == null ? "" : email);
  }
}
