package dev.tracefix.server.share;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.notebook.ConflictMarkers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryState;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Notebooks shared through the git repository their folder lives in: saving is a commit of that one
 * file (author from git config, as {@code git commit} would take it), and every saved version can
 * be listed, compared and read back. Only the notebook's source is ever committed; outputs live in
 * the session. Plain git does the rest (push, pull, merge): a notebook is Markdown with one fenced
 * block per cell, so two people's edits of different cells merge line by line.
 */
public final class NotebookGit {
  /** The revision name for the file as it is on disk now, unsaved edits included. */
  public static final String WORKING = "working";

  private final Path folder;

  public NotebookGit(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  /**
   * Commits the notebook file {@code file} (inside the folder) with {@code message}; empty when it
   * has no change since its last commit, so saving twice makes no empty commit.
   */
  public Optional<Revision> save(Path file, String message) {
    try (Repository repo = open();
        Git git = new Git(repo)) {
      String path = pathIn(repo, file);
      refuseUnfinished(repo, path);
      if (git.status().addPath(path).call().isClean()) {
        return Optional.empty();
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      OptionalInt marker = ConflictMarkers.firstLine(text);
      if (marker.isPresent()) {
        throw new ServerException(
            ServerException.Kind.CONFLICT,
            "not saved: " + ConflictMarkers.describe(path, marker.getAsInt()),
            null);
      }
      git.add().addFilepattern(path).call();
      RevCommit commit = git.commit().setOnly(path).setMessage(message).call();
      return Optional.of(revision(commit));
    } catch (GitAPIException | IOException e) {
      throw new ServerException(ServerException.Kind.IO, "git commit failed: " + e.getMessage(), e);
    }
  }

  /**
   * A merge, rebase, cherry-pick or bisect that stopped half-way: committing one file in the middle
   * of it would record a partial resolution (or fail inside git), so saving waits until it is done.
   */
  private static void refuseUnfinished(Repository repo, String path) {
    RepositoryState state = repo.getRepositoryState();
    if (state != RepositoryState.SAFE) {
      throw new ServerException(
          ServerException.Kind.CONFLICT,
          "not saved: the git repository "
              + repo.getWorkTree()
              + " is in the middle of "
              + operation(state)
              + " ("
              + state.getDescription()
              + "); finish it or abort it with git (e.g. 'git merge --continue' or 'git merge"
              + " --abort', 'git rebase --continue' or 'git rebase --abort'), then save "
              + path
              + " again",
          null);
    }
  }

  private static String operation(RepositoryState state) {
    return switch (state) {
      case MERGING, MERGING_RESOLVED -> "a merge";
      case REBASING, REBASING_REBASING, REBASING_MERGE, REBASING_INTERACTIVE -> "a rebase";
      case CHERRY_PICKING, CHERRY_PICKING_RESOLVED -> "a cherry-pick";
      case REVERTING, REVERTING_RESOLVED -> "a revert";
      case BISECTING -> "a bisect";
      case APPLY -> "applying patches (git am)";
      default -> "an operation";
    };
  }

  /** The saved versions of {@code file}, newest first (renames are not followed). */
  public List<Revision> history(Path file) {
    try (Repository repo = open();
        Git git = new Git(repo)) {
      String path = pathIn(repo, file);
      List<Revision> out = new ArrayList<>();
      if (repo.resolve("HEAD") == null) {
        return out; // a new repository with no commit yet
      }
      for (RevCommit c : git.log().addPath(path).call()) {
        out.add(revision(c));
      }
      return out;
    } catch (GitAPIException | IOException e) {
      throw new ServerException(ServerException.Kind.IO, "git log failed: " + e.getMessage(), e);
    }
  }

  /**
   * A unified diff of {@code file} between two revisions (commit ids, refs or {@link #WORKING}).
   */
  public String diff(Path file, String from, String to) {
    try (Repository repo = open();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiffFormatter formatter = new DiffFormatter(out)) {
      String path = pathIn(repo, file);
      formatter.setRepository(repo);
      formatter.setPathFilter(PathFilter.create(path));
      formatter.format(tree(repo, from), tree(repo, to));
      formatter.flush();
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, "git diff failed: " + e.getMessage(), e);
    }
  }

  /** The notebook's text as saved in {@code revision}. */
  public String textAt(Path file, String revision) {
    try (Repository repo = open();
        RevWalk walk = new RevWalk(repo)) {
      String path = pathIn(repo, file);
      RevCommit commit = walk.parseCommit(resolve(repo, revision));
      try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
        if (tree == null) {
          throw new ServerException(
              ServerException.Kind.NOT_FOUND, path + " does not exist in " + revision, null);
        }
        return new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, "git show failed: " + e.getMessage(), e);
    }
  }

  private Repository open() {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(folder.toFile());
    if (builder.getGitDir() == null) {
      throw new ServerException(
          ServerException.Kind.CONFLICT,
          folder + " is not in a git repository; run 'git init' there to save and share notebooks",
          null);
    }
    try {
      return builder.setMustExist(true).build();
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot open the git repository of " + folder + ": " + e, e);
    }
  }

  private static String pathIn(Repository repo, Path file) {
    Path top = repo.getWorkTree().toPath().toAbsolutePath().normalize();
    return top.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  private static ObjectId resolve(Repository repo, String revision) throws IOException {
    ObjectId id;
    try {
      id = repo.resolve(revision + "^{commit}");
    } catch (org.eclipse.jgit.errors.RevisionSyntaxException e) {
      id = null;
    }
    if (id == null) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND, "no commit '" + revision + "' in the repository", null);
    }
    return id;
  }

  private static AbstractTreeIterator tree(Repository repo, String revision) throws IOException {
    if (WORKING.equals(revision)) {
      return new FileTreeIterator(repo);
    }
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader()) {
      RevCommit commit = walk.parseCommit(resolve(repo, revision));
      CanonicalTreeParser parser = new CanonicalTreeParser();
      parser.reset(reader, commit.getTree().getId());
      return parser;
    }
  }

  private static Revision revision(RevCommit c) {
    return new Revision(
        c.getName(),
        c.getAuthorIdent().getName(),
        Instant.ofEpochSecond(c.getCommitTime()).toString(),
        c.getShortMessage());
  }
}
