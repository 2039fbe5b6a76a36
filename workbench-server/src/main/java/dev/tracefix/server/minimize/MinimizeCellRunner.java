package dev.tracefix.server.minimize;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.minimize.Minimizer;
import dev.tracefix.fixloop.minimize.ValueShrinker;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.TreeMaterializer;
import dev.tracefix.server.fixloop.ActionArguments;
import dev.tracefix.server.fixloop.CellInputs;
import dev.tracefix.server.fixloop.CellLoop;
import dev.tracefix.server.fixloop.OutcomeCaches;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.CellContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code minimize} cell: the fix loop's {@link Minimizer} over the rows of an earlier SQL cell,
 * in the {@code repo:} folder as it is.
 *
 * <p>Body keys: {@code input} (a sql cell's name), {@code repo} (the folder the commands run in),
 * {@code parallel} (repro runs at once, default 1), {@code cache} (where outcomes persist so a
 * stopped run resumes; default the repository's {@code .git/tracefix/minimize}, {@code off} for
 * none), and the repro spec's keys ({@link ReproSpec}: {@code run}, {@code match}, {@code timeout}
 * (default 30s), {@code build}, {@code start}/{@code ready}, {@code schedule}, {@code shrink}, ...;
 * {@code spec:} reads them from a file in the repo, whose {@code input:} CSV is used when the cell
 * names no input cell).
 */
public final class MinimizeCellRunner implements ActionCellRunner {
  static final Set<String> KEYS = Set.of("input", "repo", "parallel", "cache");

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    try {
      ActionArguments cell = new ActionArguments("minimize", body, KEYS);
      Path repo = cell.folder(context);
      ReproSpec spec = cell.spec(repo, Duration.ofSeconds(30));
      // input: a cell of this notebook; without one, the CSV file a spec file names
      InputTable input;
      String inputName;
      if (cell.optional("input").isPresent() || spec.inputFile().isEmpty()) {
        inputName =
            cell.optional("input")
                .orElseThrow(
                    () ->
                        new FixLoopException(
                            FixLoopException.Kind.USER,
                            "minimize cell: missing 'input:' line (the sql cell whose rows to minimize)"));
        input = CellInputs.fromCell("minimize", inputName, context);
      } else {
        inputName =
            spec.inputFile().get().getFileName().toString().replaceAll("[^A-Za-z0-9_-]", "_");
        input = InputTable.readCsv(spec.inputFile().get());
      }
      if (input.size() == 0) {
        return new CellOutput.Error("repro", "input '" + inputName + "' has no rows", "");
      }
      Control control = CellLoop.control(context);
      Path scratch = context.workDir().resolve("minimize-" + inputName);
      Optional<Path> cache =
          OutcomeCaches.forFolder(cell.optional("cache"), repo, spec, input.columns(), control);
      try {
        Minimizer.Result result =
            new Minimizer(new ReproHarness(spec, scratch, control), repo)
                .minimize(input, new Minimizer.Options(cell.positiveInt("parallel", 1), cache));
        context.progress("minimize: " + result.summary());
        RegressionTest test = RegressionTest.generate(spec, result.minimal(), input.size(), repo);
        return new CellOutput.Minimized(
            result.minimal().columns(),
            result.minimal().rows(),
            input.size(),
            result.oracleCalls(),
            test.content(),
            test.path(),
            result.changes().stream().map(ValueShrinker.Change::toString).toList(),
            result.diskHits());
      } finally {
        TreeMaterializer.deleteRecursively(scratch);
      }
    } catch (FixLoopException e) {
      return CellLoop.error(e);
    } catch (RuntimeException e) {
      return new CellOutput.Error("internal", "minimize failed: " + e, "");
    }
  }
}
