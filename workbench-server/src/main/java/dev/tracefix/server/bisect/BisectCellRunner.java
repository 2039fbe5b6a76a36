package dev.tracefix.server.bisect;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.bisect.BisectOptions;
import dev.tracefix.fixloop.bisect.BisectResult;
import dev.tracefix.fixloop.bisect.BisectStep;
import dev.tracefix.fixloop.bisect.Bisector;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * The {@code bisect} cell: the fix loop's {@link Bisector} over the whole commit graph, with {@code
 * git bisect run}'s exit codes.
 *
 * <p>Body keys: {@code repo}, {@code good} (one or more, comma-separated), {@code bad} (default
 * HEAD), {@code first-parent} (yes/no), {@code build-ahead} (yes/no: build the likely next commit
 * while one is tested), {@code input} (optional: a sql or minimize cell whose rows the repro
 * replays), and the repro spec's keys ({@code run}, {@code timeout} default 60s, {@code repeat} for
 * a flaky repro, {@code build}, ...).
 */
public final class BisectCellRunner implements ActionCellRunner {
  static final Set<String> KEYS =
      Set.of("repo", "good", "bad", "first-parent", "build-ahead", "input");

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    try {
      ActionArguments cell = new ActionArguments("bisect", body, KEYS);
      Path repoDir = cell.repo(context);
      ReproSpec spec = cell.spec(repoDir, Duration.ofSeconds(60));
      List<String> goods = cell.list("good");
      if (goods.isEmpty()) {
        cell.required("good");
      }
      Optional<InputTable> input =
          cell.optional("input").map(name -> CellInputs.fromCell("bisect", name, context));
      Control control = CellLoop.control(context);
      BisectResult result;
      try (Repository repo = GitRepos.open(repoDir);
          WorkTrees trees =
              new WorkTrees(
                  repo,
                  context.workDir().resolve("bisect-trees"),
                  new ReproHarness(spec, context.workDir().resolve("bisect-scratch"), control),
                  4)) {
        result =
            new Bisector(trees, input)
                .bisect(
                    new BisectOptions(
                        goods,
                        cell.optional("bad").orElse("HEAD"),
                        cell.flag("first-parent"),
                        spec.repeat(),
                        true,
                        cell.flag("build-ahead")));
      }
      return switch (result) {
        case BisectResult.Found found -> output(found);
        case BisectResult.OnlySkipped skipped ->
            new CellOutput.Error(
                "repro",
                "only skipped commits are left; the first bad commit is one of "
                    + skipped.candidates().stream().map(c -> c.substring(0, 12)).toList(),
                String.join("\n", steps(skipped).stream().map(Object::toString).toList()));
      };
    } catch (FixLoopException e) {
      return CellLoop.error(e);
    } catch (RuntimeException e) {
      return new CellOutput.Error("internal", "bisect failed: " + e, "");
    }
  }

  static CellOutput.Bisected output(BisectResult.Found found) {
    return new CellOutput.Bisected(
        found.culprit(),
        found.subject(),
        steps(found),
        found.steps(),
        found.disagreements().stream()
            .map(s -> s.commit().substring(0, 12) + " " + s.judgement().votes())
            .toList());
  }

  static List<CellOutput.BisectStep> steps(BisectResult result) {
    return result.tested().stream().map(BisectCellRunner::step).toList();
  }

  private static CellOutput.BisectStep step(BisectStep s) {
    return new CellOutput.BisectStep(
        s.commit(),
        s.judgement().verdict().word(),
        s.judgement().representative().exitCode(),
        s.role().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        s.judgement().votes());
  }
}
