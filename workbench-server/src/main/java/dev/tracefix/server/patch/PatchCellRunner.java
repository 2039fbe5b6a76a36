package dev.tracefix.server.patch;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.patch.Acceptance;
import dev.tracefix.fixloop.patch.CandidateReport;
import dev.tracefix.fixloop.patch.Check;
import dev.tracefix.fixloop.patch.PatchReport;
import dev.tracefix.fixloop.patch.Patcher;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import dev.tracefix.server.fixloop.ActionArguments;
import dev.tracefix.server.fixloop.CellInputs;
import dev.tracefix.server.fixloop.CellLoop;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.CellContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * The {@code patch} cell: the fix loop's {@link Patcher} (strategies in order, each candidate on a
 * branch of its own through the review gate) and, with {@code accept: yes}, its {@link Acceptance}:
 * a person's word, written in the notebook.
 *
 * <p>Body keys: {@code repo}, {@code culprit} (a commit, or the name of a bisect cell), {@code bad}
 * (default HEAD), {@code input} (optional: a minimize or sql cell), {@code accept} (yes/no), {@code
 * all} (yes: try every strategy, not just until one passes), and the repro spec's keys ({@code
 * run}, {@code test} for the target's own tests, {@code build}, {@code timeout} default 60s, {@code
 * incident}, ...).
 */
public final class PatchCellRunner implements ActionCellRunner {
  static final Set<String> KEYS = Set.of("repo", "culprit", "bad", "input", "accept", "all");

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    try {
      ActionArguments cell = new ActionArguments("patch", body, KEYS);
      Path repoDir = cell.repo(context);
      ReproSpec spec = cell.spec(repoDir, Duration.ofSeconds(60));
      String culprit = culprit(cell.required("culprit"), context);
      String inputName = cell.optional("input").orElse(null);
      Optional<InputTable> input =
          Optional.ofNullable(inputName).map(n -> CellInputs.fromCell("patch", n, context));
      int originalRows =
          Optional.ofNullable(inputName)
              .flatMap(context::result)
              .filter(o -> o instanceof CellOutput.Minimized)
              .map(o -> ((CellOutput.Minimized) o).originalSize())
              .orElse(input.map(InputTable::size).orElse(0));
      Control control = CellLoop.control(context);
      try (Repository repo = GitRepos.open(repoDir);
          WorkTrees trees =
              new WorkTrees(
                  repo,
                  context.workDir().resolve("patch-trees"),
                  new ReproHarness(spec, context.workDir().resolve("patch-scratch"), control),
                  6)) {
        String bad = cell.optional("bad").orElse("HEAD");
        Optional<RegressionTest> test =
            input.map(
                i ->
                    RegressionTest.generate(
                        spec, i, originalRows, trees.prepare(GitRepos.commit(repo, bad)).dir()));
        PatchReport report =
            new Patcher(
                    trees,
                    Patcher.defaultStrategies(Optional.empty()),
                    context.workDir().resolve("patch"))
                .patch(
                    new Patcher.Request(
                        culprit, bad, input, spec.incident(), test, cell.flag("all")));
        Optional<Acceptance.Accepted> accepted = Optional.empty();
        if (cell.flag("accept")) {
          accepted =
              Optional.of(
                  Acceptance.accept(
                      trees,
                      report,
                      new Acceptance.Request(
                          spec.incident(),
                          spec,
                          "notebook cell",
                          input,
                          originalRows,
                          test,
                          -1,
                          3)));
        }
        return output(report, accepted);
      }
    } catch (FixLoopException e) {
      return CellLoop.error(e);
    } catch (RuntimeException e) {
      return new CellOutput.Error("internal", "patch failed: " + e, "");
    }
  }

  static CellOutput.Patched output(PatchReport report, Optional<Acceptance.Accepted> accepted) {
    List<CandidateReport> all = report.candidates();
    if (all.isEmpty()) {
      throw new FixLoopException(
          FixLoopException.Kind.REPRO,
          "no strategy proposed a patch: " + String.join("; ", report.lines()));
    }
    CandidateReport shown = report.chosen().orElse(all.getLast());
    StringBuilder log = new StringBuilder();
    log.append("repro at the bad commit: ").append(report.reproAtBad()).append('\n');
    if (!report.regressionTestBefore().isEmpty()) {
      log.append("regression test: ").append(report.regressionTestBefore()).append('\n');
    }
    report.lines().forEach(l -> log.append(l).append('\n'));
    shown.log().forEach(l -> log.append("  ").append(l).append('\n'));
    shown.checks().forEach(c -> log.append("  ").append(c).append('\n'));
    List<CellOutput.PatchCandidate> candidates = new ArrayList<>();
    for (CandidateReport c : all) {
      candidates.add(
          new CellOutput.PatchCandidate(
              c.strategy(),
              c.summary(),
              c.branch(),
              c.passed(),
              c.checks().stream()
                  .map(k -> new CellOutput.Guardrail(k.name(), k.status().word(), k.detail()))
                  .toList()));
    }
    boolean reproPasses =
        shown.checks().stream()
            .anyMatch(c -> c.name().equals("repro") && c.status() == Check.Status.PASS);
    return new CellOutput.Patched(
        shown.strategy(),
        accepted.map(Acceptance.Accepted::branch).orElse(shown.branch()),
        shown.diff(),
        reproPasses,
        shown.passed(),
        log.toString(),
        List.copyOf(candidates),
        accepted.map(Acceptance.Accepted::commit).orElse(null),
        accepted.map(Acceptance.Accepted::pullRequest).orElse(null));
  }

  /** A commit id or ref, or the culprit of an earlier bisect cell with that name. */
  static String culprit(String value, CellContext context) {
    Optional<CellOutput> earlier = context.result(value);
    if (earlier.isEmpty()) {
      return value;
    }
    return switch (earlier.get()) {
      case CellOutput.Bisected bisected -> bisected.culprit();
      case CellOutput.Error error ->
          throw new FixLoopException(
              FixLoopException.Kind.USER,
              "patch cell: bisect cell '" + value + "' failed: " + error.message());
      default ->
          throw new FixLoopException(
              FixLoopException.Kind.USER,
              "patch cell: culprit '" + value + "' names a cell that is not a bisect cell");
    };
  }
}
