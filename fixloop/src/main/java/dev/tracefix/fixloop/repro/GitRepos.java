package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Opening a repository and naming its commits, with the loop's error messages. */
public final class GitRepos {
  private GitRepos() {}

  /** Opens a repository by its work-tree folder (or a bare repository folder). */
  public static Repository open(Path repoDir) {
    try {
      return new FileRepositoryBuilder().findGitDir(repoDir.toFile()).setMustExist(true).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT,
          "cannot open the git repository at " + repoDir + ": " + e.getMessage(),
          e);
    }
  }

  /** The commit a ref, tag or id names. */
  public static ObjectId commit(Repository repo, String ref) {
    try {
      ObjectId id = repo.resolve(ref + "^{commit}");
      if (id == null) {
        throw new FixLoopException(
            FixLoopException.Kind.USER, "'" + ref + "' is not a commit in " + repo.getDirectory());
      }
      return id;
    } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          "'" + ref + "' is not a commit in " + repo.getDirectory() + ": " + e.getMessage(),
          e);
    }
  }
}
