package dev.tracefix.server.minimize;

import dev.tracefix.server.fixloop.ActionArguments;
import dev.tracefix.server.fixloop.FixLoopException;
import dev.tracefix.server.fixloop.ReproCommand;
import dev.tracefix.server.fixloop.TreeMaterializer;
import dev.tracefix.server.fixloop.Verdict;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.CellContext;
import dev.tracefix.server.run.CellOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The {@code minimize} cell: delta-debugs the rows of an earlier SQL cell with a repro command as
 * the oracle.
 *
 * <p>Body keys: {@code input} (name of a sql cell), {@code repo} (the folder the command runs in),
 * {@code run} (the repro command), {@code timeout} (per run, default 30s), {@code match} (optional
 * regex: a failing run counts only if its output matches, so a different failure is
 * "unresolved"), {@code parallel} (concurrent repro runs, default 1).
 *
 * <p>How the candidate reaches the repro: each candidate is written as CSV (header + rows) to its
 * own file, whose path is in {@code $TRACEFIX_INPUT}. If the command does not mention {@code
 * TRACEFIX_INPUT}, the path is also appended as its last argument ({@code ./repro.sh} runs as
 * {@code ./repro.sh /path/candidate.csv}). Exit 0 is pass, 125 and >= 128 unresolved, any other
 * exit fail, as for bisect.
 */
public final class MinimizeCellRunner implements ActionCellRunner {
  static final Set<String> KEYS = Set.of("input", "repo", "run", "timeout", "match", "parallel");

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    try {
      ActionArguments cell = new ActionArguments("minimize", body, KEYS);
      String inputName = cell.required("input");
      Path repo = cell.folder(context);
      String command = cell.required("run");
      ReproCommand repro = new ReproCommand(command, cell.duration("timeout", Duration.ofSeconds(30)));
      Optional<Pattern> match = cell.optional("match").map(Pattern::compile);
      InputRows input = InputRows.fromCell(inputName, context);
      if (input.rows().isEmpty()) {
        return new CellOutput.Error("repro", "input '" + inputName + "' has no rows", "");
      }
      Path scratch = context.workDir().resolve("minimize-" + inputName);
      TreeMaterializer.deleteRecursively(scratch);
      AtomicInteger candidates = new AtomicInteger();
      Oracle<List<Object>> oracle =
          rows -> {
            Path file = scratch.resolve("candidate-" + candidates.incrementAndGet() + ".csv");
            InputRows.writeCsv(file, input.columns(), rows);
            try {
              List<String> args = command.contains("TRACEFIX_INPUT") ? List.of() : List.of(file.toString());
              ReproCommand.Run run =
                  repro.run(repo, args, Map.of("TRACEFIX_INPUT", file.toString()));
              return outcome(run, match);
            } finally {
              file.toFile().delete();
            }
          };
      context.progress("minimize: checking that the repro fails on all " + input.rows().size() + " rows");
      Ddmin<List<Object>> ddmin =
          new Ddmin<>(input.rows(), oracle, cell.positiveInt("parallel", 1), context::progress);
      Outcome whole = ddmin.testAll();
      if (whole != Outcome.FAIL) {
        return new CellOutput.Error(
            "repro",
            "the repro passes on the full input; nothing to minimize",
            "on all " + input.rows().size() + " rows of '" + inputName + "' the repro was "
                + whole.name().toLowerCase(java.util.Locale.ROOT));
      }
      Ddmin.Result<List<Object>> result = ddmin.minimize();
      context.progress(
          "minimize: " + result.minimal().size() + " of " + input.rows().size() + " rows after "
              + result.oracleCalls() + " repro runs (" + result.cacheHits() + " cache hits)");
      String csv = InputRows.csv(input.columns(), result.minimal());
      TreeMaterializer.deleteRecursively(scratch);
      return new CellOutput.Minimized(
          input.columns(),
          result.minimal(),
          input.rows().size(),
          result.oracleCalls(),
          JUnitScaffold.render(inputName, input.rows().size(), command, csv));
    } catch (FixLoopException e) {
      return new CellOutput.Error(e.kind().cellErrorKind(), e.getMessage(), "");
    } catch (java.util.regex.PatternSyntaxException e) {
      return new CellOutput.Error("parse", "minimize cell: 'match:' is not a regex: " + e.getDescription(), "");
    } catch (Exception e) {
      return new CellOutput.Error("internal", "minimize failed: " + e, "");
    }
  }

  static Outcome outcome(ReproCommand.Run run, Optional<Pattern> match) {
    return switch (Verdict.ofExitCode(run.exitCode())) {
      case GOOD -> Outcome.PASS;
      case BAD ->
          match.isEmpty() || match.get().matcher(run.outputTail()).find()
              ? Outcome.FAIL
              : Outcome.UNRESOLVED;
      case SKIP, ABORT -> Outcome.UNRESOLVED;
    };
  }
}
