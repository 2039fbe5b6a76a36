package dev.tracefix.server.patch;

import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.server.fixloop.ActionArguments;
import dev.tracefix.server.fixloop.FixLoopException;
import dev.tracefix.server.fixloop.ReproCommand;
import dev.tracefix.server.fixloop.TreeMaterializer;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.CellContext;
import dev.tracefix.server.run.CellOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * The {@code patch} cell: drafts a fix with {@link RevertCulpritHunks}, refuses it if the diff adds
 * a secret, puts it on branch {@code tracefix/patch-<culprit>}, and runs the repro (and {@code
 * test}, if given) on the patched tree.
 *
 * <p>Body keys: {@code repo}, {@code culprit} (a commit, or the name of a bisect cell whose culprit
 * to use), {@code bad} (default HEAD), {@code run} (repro command), {@code test} (optional check
 * command), {@code timeout} (per command, default 60s).
 */
public final class PatchCellRunner implements ActionCellRunner {
  static final Set<String> KEYS = Set.of("repo", "culprit", "bad", "run", "test", "timeout");

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    try {
      ActionArguments cell = new ActionArguments("patch", body, KEYS);
      Path repoDir = cell.repo(context);
      String culprit = culprit(cell.required("culprit"), context);
      Duration timeout = cell.duration("timeout", Duration.ofSeconds(60));
      ReproCommand repro = new ReproCommand(cell.required("run"), timeout);
      Optional<ReproCommand> test = cell.optional("test").map(t -> new ReproCommand(t, timeout));
      try (Repository repo = BisectCellRunner.open(repoDir)) {
        RevertCulpritHunks strategy = new RevertCulpritHunks(repo);
        RevertCulpritHunks.Draft draft = strategy.draft(culprit, cell.optional("bad").orElse("HEAD"));
        List<SecretScan.Finding> secrets = SecretScan.addedSecrets(draft.diff());
        if (!secrets.isEmpty()) {
          return new CellOutput.Error(
              "guardrail",
              "the drafted patch adds a secret (" + secrets.get(0) + "); refused",
              "findings: " + secrets);
        }
        strategy.publish(draft);
        context.progress("patch: drafted " + draft.branch() + "; running the repro on it");
        StringBuilder log = new StringBuilder();
        draft.log().forEach(line -> log.append(line).append('\n'));
        Path tree =
            TreeMaterializer.materialize(
                repo, draft.commit(), context.workDir().resolve("patch-" + draft.commit().abbreviate(7).name()));
        try {
          ReproCommand.Run run = repro.run(tree, List.of(), Map.of());
          append(log, "repro", run);
          boolean reproPasses = run.exitCode() == 0;
          if (test.isPresent()) {
            append(log, "test", test.get().run(tree, List.of(), Map.of()));
          }
          context.progress("patch: repro " + (reproPasses ? "passes" : "still fails") + " on " + draft.branch());
          return new CellOutput.Patched(
              RevertCulpritHunks.STRATEGY,
              draft.branch(),
              draft.diff(),
              reproPasses,
              SecretScan.redact(log.toString()));
        } finally {
          TreeMaterializer.deleteRecursively(tree);
        }
      }
    } catch (FixLoopException e) {
      return new CellOutput.Error(e.kind().cellErrorKind(), e.getMessage(), "");
    } catch (RuntimeException e) {
      return new CellOutput.Error("internal", "patch failed: " + e, "");
    }
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

  private static void append(StringBuilder log, String what, ReproCommand.Run run) {
    log.append(what)
        .append(": exit ")
        .append(run.exitCode())
        .append(run.timedOut() ? " (timed out)" : "")
        .append(run.exitCode() == 0 ? " pass" : " FAIL")
        .append('\n')
        .append(run.outputTail().strip())
        .append('\n');
  }
}
