package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.FixLoopException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * What the culprit commit changed against its first parent: per file, the lines before and after
 * and the hunks (edits) between them. Renames are followed, so a file the culprit moved is one
 * change with both paths.
 */
public record CulpritChange(
    RevCommit culprit, RevCommit parent, List<FileChange> files, String diff) {
  /**
   * One file of the culprit; {@code before}/{@code after} are null for an added/deleted file.
   * {@code hunks} groups {@code edits} as a unified diff shows them (edits within three lines of
   * each other form one hunk), the unit a person reads and a strategy reverts.
   */
  public record FileChange(
      DiffEntry.ChangeType type,
      String oldPath,
      String newPath,
      List<String> before,
      List<String> after,
      List<Edit> edits,
      List<List<Edit>> hunks,
      boolean binary) {
    /** The path at the culprit (the new path, or the old one for a deletion). */
    public String path() {
      return type == DiffEntry.ChangeType.DELETE ? oldPath : newPath;
    }
  }

  private static final int CONTEXT = 3;

  public static CulpritChange of(Repository repo, RevCommit culprit) {
    if (culprit.getParentCount() == 0) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "the culprit " + culprit.name() + " is a root commit");
    }
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader();
        DiffFormatter hunks = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      RevCommit c = walk.parseCommit(culprit);
      RevCommit parent = walk.parseCommit(c.getParent(0));
      hunks.setRepository(repo);
      hunks.setDiffComparator(RawTextComparator.DEFAULT);
      hunks.setDetectRenames(true);
      List<FileChange> files = new ArrayList<>();
      for (DiffEntry entry : hunks.scan(parent.getTree(), c.getTree())) {
        byte[] before =
            entry.getChangeType() == DiffEntry.ChangeType.ADD
                ? null
                : reader.open(entry.getOldId().toObjectId()).getBytes();
        byte[] after =
            entry.getChangeType() == DiffEntry.ChangeType.DELETE
                ? null
                : reader.open(entry.getNewId().toObjectId()).getBytes();
        boolean binary =
            (before != null && RawText.isBinary(before))
                || (after != null && RawText.isBinary(after));
        List<Edit> edits = List.of();
        List<List<Edit>> grouped = List.of();
        if (!binary) {
          edits = List.copyOf(hunks.toFileHeader(entry).toEditList());
          grouped = group(edits);
        }
        files.add(
            new FileChange(
                entry.getChangeType(),
                entry.getOldPath(),
                entry.getNewPath(),
                before == null ? null : lines(before),
                after == null ? null : lines(after),
                edits,
                grouped,
                binary));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (DiffFormatter text = new DiffFormatter(out)) {
        text.setRepository(repo);
        text.setDetectRenames(true);
        text.format(parent.getTree(), c.getTree());
      }
      return new CulpritChange(c, parent, List.copyOf(files), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot read the culprit's diff: " + e.getMessage(), e);
    }
  }

  /** Every path the culprit touched, old and new names of renamed files included. */
  public Set<String> touchedPaths() {
    Set<String> paths = new LinkedHashSet<>();
    for (FileChange f : files) {
      if (f.type() != DiffEntry.ChangeType.ADD) {
        paths.add(f.oldPath());
      }
      if (f.type() != DiffEntry.ChangeType.DELETE) {
        paths.add(f.newPath());
      }
    }
    return paths;
  }

  /**
   * Edits as git groups them into hunks: two edits whose unchanged gap is at most twice the context
   * (3 lines) share a hunk. (JGit's FileHeader built from an edit list holds them all in one hunk,
   * so the grouping is done here.)
   */
  static List<List<Edit>> group(List<Edit> edits) {
    List<List<Edit>> hunks = new ArrayList<>();
    List<Edit> current = new ArrayList<>();
    for (Edit edit : edits) {
      if (!current.isEmpty() && edit.getBeginA() - current.getLast().getEndA() > 2 * CONTEXT) {
        hunks.add(List.copyOf(current));
        current = new ArrayList<>();
      }
      current.add(edit);
    }
    if (!current.isEmpty()) {
      hunks.add(List.copyOf(current));
    }
    return List.copyOf(hunks);
  }

  /** A hunk's label as a unified diff header shows it: {@code path -12,16 +12,17}. */
  static String label(String path, List<Edit> hunk) {
    Edit first = hunk.getFirst();
    Edit last = hunk.getLast();
    return path
        + " -"
        + (first.getBeginA() + 1)
        + ","
        + (last.getEndA() - first.getBeginA())
        + " +"
        + (first.getBeginB() + 1)
        + ","
        + (last.getEndB() - first.getBeginB());
  }

  /** Lines with their line endings, so joining them gives the file back byte for byte. */
  public static List<String> lines(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("(?<=\n)"));
  }
}
