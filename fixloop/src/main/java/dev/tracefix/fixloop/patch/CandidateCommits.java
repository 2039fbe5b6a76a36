package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.FixLoopException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * Patches as commits, written straight into the object database with JGit.
 *
 * <p>Why not a checkout and JGit's RevertCommand or a merge: those work in the person's working
 * tree and index. Here the patched tree is built in memory (a {@link DirCache} in core) from the
 * bad commit's tree plus the edits, committed with the bad commit as parent, and only a new branch
 * points at it: HEAD, the index and the files are never touched.
 */
final class CandidateCommits {
  static final PersonIdent TRACEFIX = new PersonIdent("tracefix", "tracefix@localhost");

  private CandidateCommits() {}

  static ObjectId commit(
      Repository repo, RevCommit parent, List<FileEdit> edits, String message, PersonIdent author) {
    try (ObjectReader reader = repo.newObjectReader();
        ObjectInserter inserter = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parent.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      for (FileEdit edit : edits) {
        if (edit.content() == null) {
          editor.add(new DirCacheEditor.DeletePath(edit.path()));
          continue;
        }
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, edit.content().getBytes(StandardCharsets.UTF_8));
        editor.add(
            new DirCacheEditor.PathEdit(edit.path()) {
              @Override
              public void apply(DirCacheEntry entry) {
                if (entry.getRawMode() == 0) {
                  entry.setFileMode(
                      edit.executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                }
                entry.setObjectId(blob);
              }
            });
      }
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(parent);
      commit.setAuthor(author);
      commit.setCommitter(TRACEFIX);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot write the patch commit: " + e.getMessage(), e);
    }
  }

  /** Points {@code branch} at {@code commit}: a new branch, or one tracefix made before. */
  static void publish(Repository repo, String branch, ObjectId commit, String why) {
    try {
      RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
      update.setNewObjectId(commit);
      update.setForceUpdate(true);
      update.setRefLogMessage("tracefix: " + why, false);
      switch (update.update()) {
        case NEW, FORCED, NO_CHANGE, FAST_FORWARD -> {}
        default ->
            throw new FixLoopException(FixLoopException.Kind.GIT, "cannot set branch " + branch);
      }
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot set branch " + branch + ": " + e.getMessage(), e);
    }
  }

  static String diff(Repository repo, ObjectId from, ObjectId to) {
    try (RevWalk walk = new RevWalk(repo)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (DiffFormatter formatter = new DiffFormatter(out)) {
        formatter.setRepository(repo);
        formatter.setDiffComparator(RawTextComparator.DEFAULT);
        formatter.format(walk.parseCommit(from).getTree(), walk.parseCommit(to).getTree());
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot diff the patch: " + e.getMessage(), e);
    }
  }

  static List<String> changedPaths(Repository repo, ObjectId from, ObjectId to) {
    try (RevWalk walk = new RevWalk(repo);
        DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      formatter.setRepository(repo);
      List<String> paths = new ArrayList<>();
      for (DiffEntry e :
          formatter.scan(walk.parseCommit(from).getTree(), walk.parseCommit(to).getTree())) {
        paths.add(
            e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath());
      }
      return paths;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot diff the patch: " + e.getMessage(), e);
    }
  }

  static RevCommit parse(Repository repo, ObjectId id) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(id);
      walk.parseBody(c);
      return c;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot read " + id.name() + ": " + e.getMessage(), e);
    }
  }
}
