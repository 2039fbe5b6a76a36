package dev.tracefix.server.patch;

import dev.tracefix.server.fixloop.FixLoopException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawText;
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
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The {@code revert-culprit-hunks} strategy: undo the culprit commit's hunks on top of the bad
 * commit, as a new commit that only a new branch points to.
 *
 * <p>Why not JGit's RevertCommand: it works in the person's working tree and index (checkout,
 * merge, possible conflict markers). Here the patched tree is built in memory from the object
 * database ({@link HunkReverter} per file, a {@link DirCache} in core), so the repository's HEAD,
 * index and files are untouched, and a hunk that later commits changed is skipped and reported
 * instead of leaving a conflict.
 */
public final class RevertCulpritHunks {
  public static final String STRATEGY = "revert-culprit-hunks";

  /** The drafted commit (not yet on a branch), its diff against bad, and what happened per hunk. */
  public record Draft(ObjectId commit, String branch, String diff, List<String> log) {}

  private final Repository repo;

  public RevertCulpritHunks(Repository repo) {
    this.repo = repo;
  }

  public Draft draft(String culpritRef, String badRef) {
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader();
        ObjectInserter inserter = repo.newObjectInserter()) {
      RevCommit culprit = walk.parseCommit(resolve(culpritRef));
      RevCommit bad = walk.parseCommit(resolve(badRef));
      if (culprit.getParentCount() == 0) {
        throw new FixLoopException(
            FixLoopException.Kind.USER, "the culprit " + culprit.name() + " is a root commit");
      }
      RevCommit parent = walk.parseCommit(culprit.getParent(0));
      List<String> log = new ArrayList<>();
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, bad.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      int changedFiles = 0;
      try (DiffFormatter hunks = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
        hunks.setRepository(repo);
        hunks.setDiffComparator(RawTextComparator.DEFAULT);
        hunks.setDetectRenames(false);
        for (DiffEntry entry : hunks.scan(parent.getTree(), culprit.getTree())) {
          if (revertEntry(entry, hunks, bad, reader, inserter, editor, log)) {
            changedFiles++;
          }
        }
      }
      editor.finish();
      if (changedFiles == 0) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "no hunk of " + culprit.abbreviate(7).name() + " can be reverted at the bad commit: "
                + String.join("; ", log));
      }
      ObjectId tree = index.writeTree(inserter);
      PersonIdent tracefix = new PersonIdent("tracefix", "tracefix@localhost");
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(bad);
      commit.setAuthor(tracefix);
      commit.setCommitter(tracefix);
      commit.setMessage(
          "Revert hunks of " + culprit.abbreviate(7).name() + " \"" + culprit.getShortMessage()
              + "\"\n\nDrafted by tracefix (" + STRATEGY + ") on top of "
              + bad.abbreviate(7).name() + ".\n");
      ObjectId commitId = inserter.insert(commit);
      inserter.flush();
      String branch = "tracefix/patch-" + culprit.abbreviate(7).name();
      return new Draft(commitId, branch, unifiedDiff(bad, walk.parseCommit(commitId)), log);
    } catch (IOException e) {
      throw new FixLoopException(FixLoopException.Kind.GIT, "cannot draft the patch: " + e, e);
    }
  }

  /** Points {@code draft.branch()} at the drafted commit (replacing an earlier draft). */
  public void publish(Draft draft) {
    try {
      var update = repo.updateRef(Constants.R_HEADS + draft.branch());
      update.setNewObjectId(draft.commit());
      update.setForceUpdate(true);
      update.setRefLogMessage("tracefix: " + STRATEGY, false);
      switch (update.update()) {
        case NEW, FORCED, NO_CHANGE, FAST_FORWARD -> {}
        default ->
            throw new FixLoopException(
                FixLoopException.Kind.GIT, "cannot create branch " + draft.branch());
      }
    } catch (IOException e) {
      throw new FixLoopException(FixLoopException.Kind.GIT, "cannot create " + draft.branch(), e);
    }
  }

  private boolean revertEntry(
      DiffEntry entry,
      DiffFormatter hunks,
      RevCommit bad,
      ObjectReader reader,
      ObjectInserter inserter,
      DirCacheEditor editor,
      List<String> log)
      throws IOException {
    String path = entry.getChangeType() == DiffEntry.ChangeType.ADD ? entry.getNewPath() : entry.getOldPath();
    byte[] atBad = blobAt(bad, path, reader);
    switch (entry.getChangeType()) {
      case ADD -> {
        byte[] added = reader.open(entry.getNewId().toObjectId()).getBytes();
        if (atBad != null && Arrays.equals(atBad, added)) {
          editor.add(new DirCacheEditor.DeletePath(path));
          log.add(path + ": removed (the culprit added it)");
          return true;
        }
        log.add(path + ": added by the culprit but changed since; left alone");
        return false;
      }
      case DELETE -> {
        if (atBad == null) {
          put(editor, path, entry.getOldMode(), inserter.insert(Constants.OBJ_BLOB,
              reader.open(entry.getOldId().toObjectId()).getBytes()));
          log.add(path + ": restored (the culprit deleted it)");
          return true;
        }
        log.add(path + ": deleted by the culprit but present again; left alone");
        return false;
      }
      case MODIFY -> {
        if (atBad == null) {
          log.add(path + ": gone at the bad commit; hunks skipped");
          return false;
        }
        byte[] before = reader.open(entry.getOldId().toObjectId()).getBytes();
        byte[] after = reader.open(entry.getNewId().toObjectId()).getBytes();
        if (RawText.isBinary(before) || RawText.isBinary(after) || RawText.isBinary(atBad)) {
          log.add(path + ": binary; skipped");
          return false;
        }
        HunkReverter.Outcome outcome =
            HunkReverter.revert(
                lines(before), lines(after), hunks.toFileHeader(entry).toEditList(), lines(atBad));
        outcome.skipped().forEach(s -> log.add(path + ": " + s));
        if (outcome.applied() == 0) {
          return false;
        }
        log.add(path + ": reverted " + outcome.applied() + " hunk(s)");
        byte[] reverted = String.join("", outcome.lines()).getBytes(StandardCharsets.UTF_8);
        put(editor, path, null, inserter.insert(Constants.OBJ_BLOB, reverted));
        return true;
      }
      default -> {
        log.add(path + ": " + entry.getChangeType() + " is not reverted by this strategy");
        return false;
      }
    }
  }

  private static void put(DirCacheEditor editor, String path, FileMode mode, ObjectId blob) {
    editor.add(
        new DirCacheEditor.PathEdit(path) {
          @Override
          public void apply(DirCacheEntry entry) {
            if (mode != null) {
              entry.setFileMode(mode);
            } else if (entry.getRawMode() == 0) { // a new entry; existing ones keep their mode
              entry.setFileMode(FileMode.REGULAR_FILE);
            }
            entry.setObjectId(blob);
          }
        });
  }

  private byte[] blobAt(RevCommit commit, String path, ObjectReader reader) throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
      return walk == null ? null : reader.open(walk.getObjectId(0)).getBytes();
    }
  }

  /** Lines with their line endings, so joining them gives the file back byte for byte. */
  private static List<String> lines(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("(?<=\n)"));
  }

  private String unifiedDiff(RevCommit from, RevCommit to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter formatter = new DiffFormatter(out)) {
      formatter.setRepository(repo);
      formatter.setDiffComparator(RawTextComparator.DEFAULT);
      formatter.format(from.getTree(), to.getTree());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private ObjectId resolve(String ref) throws IOException {
    ObjectId id = repo.resolve(ref + "^{commit}");
    if (id == null) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "'" + ref + "' is not a commit in " + repo.getDirectory());
    }
    return id;
  }
}
