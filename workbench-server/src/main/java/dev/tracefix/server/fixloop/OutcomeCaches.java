package dev.tracefix.server.fixloop;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import dev.tracefix.fixloop.minimize.Minimizer;
import dev.tracefix.fixloop.repro.ReproSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Where a minimize cell keeps its outcomes so a stopped run resumes after a restart.
 *
 * <p>By default inside the target repository's git folder ({@code .git/tracefix/minimize/}): it
 * lives as long as the repository, and git never shows it. Outcomes are only valid for the code
 * they ran on, so the folder is keyed by HEAD's tree; a working tree with uncommitted changes gets
 * no persistent cache (it could change between runs). A folder that is not a repository needs
 * {@code cache: DIR}.
 */
public final class OutcomeCaches {
  private OutcomeCaches() {}

  public static Optional<Path> forFolder(
      Optional<String> setting,
      Path folder,
      ReproSpec spec,
      List<String> columns,
      Control control) {
    if (setting.isPresent() && setting.get().equals("off")) {
      return Optional.empty();
    }
    if (setting.isPresent()) {
      Path root = folder.resolve(setting.get());
      return Optional.of(
          Minimizer.cacheDir(root, spec, folder.toAbsolutePath().normalize().toString(), columns));
    }
    if (!Files.exists(folder.resolve(".git"))) {
      return Optional.empty();
    }
    try (Repository repo =
            new FileRepositoryBuilder().findGitDir(folder.toFile()).setMustExist(true).build();
        Git git = Git.wrap(repo)) {
      ObjectId head = repo.resolve("HEAD^{tree}");
      if (head == null) {
        return Optional.empty();
      }
      if (!git.status().call().isClean()) {
        control.report(
            ProgressEvent.Stage.MINIMIZE,
            "the working tree has uncommitted changes: outcomes are not kept on disk (set 'cache:' to keep them)");
        return Optional.empty();
      }
      return Optional.of(
          Minimizer.cacheDir(
              repo.getDirectory().toPath().resolve("tracefix/minimize"),
              spec,
              head.name(),
              columns));
    } catch (java.io.IOException | GitAPIException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot read " + folder + ": " + e.getMessage(), e);
    }
  }
}
