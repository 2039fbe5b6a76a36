package dev.tracefix.server.bisect;

import dev.tracefix.server.fixloop.ActionArguments;
import dev.tracefix.server.fixloop.FixLoopException;
import dev.tracefix.server.fixloop.ReproCommand;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.CellContext;
import dev.tracefix.server.run.CellOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The {@code bisect} cell. Body keys: {@code repo} (path), {@code good} and {@code bad} (refs or
 * ids; bad defaults to HEAD), {@code run} (repro command, run with bash in each step's tree),
 * {@code timeout} (per run, default 60s), {@code repeat} (runs per step, majority wins; default 1).
 */
public final class BisectCellRunner implements ActionCellRunner {
  static final Set<String> KEYS = Set.of("repo", "good", "bad", "run", "timeout", "repeat");

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    try {
      ActionArguments cell = new ActionArguments("bisect", body, KEYS);
      Path repoDir = cell.repo(context);
      ReproCommand repro =
          new ReproCommand(cell.required("run"), cell.duration("timeout", Duration.ofSeconds(60)));
      int repeat = cell.positiveInt("repeat", 1);
      try (Repository repo = open(repoDir)) {
        return new Bisector(repo, repro, repeat, context.workDir(), context::progress)
            .bisect(cell.required("good"), cell.optional("bad").orElse("HEAD"));
      }
    } catch (FixLoopException e) {
      return new CellOutput.Error(e.kind().cellErrorKind(), e.getMessage(), "");
    } catch (RuntimeException e) {
      return new CellOutput.Error("internal", "bisect failed: " + e, "");
    }
  }

  /** Opens a repository by its work-tree folder (or a bare repository folder). */
  public static Repository open(Path repoDir) {
    try {
      return new FileRepositoryBuilder()
          .findGitDir(repoDir.toFile())
          .setMustExist(true)
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot open the git repository at " + repoDir + ": " + e, e);
    }
  }
}
