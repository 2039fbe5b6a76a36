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
public record CulpritChange(RevCommit culprit, RevCommit parent, List<FileChange> files, String diff) {
  /** One file of the culprit; {@code before}/{@code after} are null for an added/deleted file. */
  public record FileChange(
      DiffEntry.ChangeType type, String oldPath, String newPath, List<String> before, List<String> after,
      List<Edit> edits, boolean binary) {
    /** The path at the culprit (the new path, or the old one for a deletion). */
    public String path() {
      return type == DiffEntry.ChangeType.DELETE ? oldPath : newPath;
    }
  }

  /** One hunk of one file, as the strategies name and pick them. */
  public record Hunk(int file, int edit, String label) {}

  public static CulpritChange of(Repository repo, RevCommit culprit) {
    if (culprit.getParentCount() == 0) {
      throw new FixLoopException(FixLoopException.Kind.USER, "the culprit " + culprit.name() + " is a root commit");
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
        byte[] before = entry.getChangeType() == DiffEntry.ChangeType.ADD ? null : reader.open(entry.getOldId().toObjectId()).getBytes();
        byte[] after = entry.getChangeType() == DiffEntry.ChangeType.DELETE ? null : reader.open(entry.getNewId().toObjectId()).getBytes();
        boolean binary = (before != null && RawText.isBinary(before)) || (after != null && RawText.isBinary(after));
        List<Edit> edits = binary ? List.of() : List.copyOf(hunks.toFileHeader(entry).toEditList());
        files.add(new FileChange(entry.getChangeType(), entry.getOldPath(), entry.getNewPath(),
            before == null ? null : lines(before), after == null ? null : lines(after), edits, binary));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (DiffFormatter text = new DiffFormatter(out)) {
        text.setRepository(repo);
        text.setDetectRenames(true);
        text.format(parent.getTree(), c.getTree());
      }
      return new CulpritChange(c, parent, List.copyOf(files), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FixLoopException(FixLoopException.Kind.GIT, "cannot read the culprit's diff: " + e.getMessage(), e);
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

  /** The text hunks of modified (and renamed-and-modified) files, in diff order. */
  public List<Hunk> hunks() {
    List<Hunk> out = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      FileChange file = files.get(f);
      for (int e = 0; e < file.edits().size(); e++) {
        Edit edit = file.edits().get(e);
        out.add(new Hunk(f, e, file.path() + " -" + (edit.getBeginA() + 1) + "," + edit.getLengthA()
            + " +" + (edit.getBeginB() + 1) + "," + edit.getLengthB()));
      }
    }
    return out;
  }

  /** Lines with their line endings, so joining them gives the file back byte for byte. */
  public static List<String> lines(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("(?<=\n)"));
  }
}
