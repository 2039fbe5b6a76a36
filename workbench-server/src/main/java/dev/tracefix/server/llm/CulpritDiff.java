package dev.tracefix.server.llm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** The change a culprit commit made, as a unified diff for the model's context (bounded). */
record CulpritDiff(String commit, String subject, List<String> files, String diff) {
  private static final int MAX_CHARS = 16_000;

  static CulpritDiff of(Path repo, String commitId) {
    try (Git git = Git.open(repo.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Repository r = git.getRepository();
      ObjectId id = r.resolve(commitId);
      if (id == null) {
        throw new LlmException(LlmException.Kind.CONFIG, "no commit " + commitId + " in " + repo);
      }
      RevCommit commit = walk.parseCommit(id);
      RevCommit parent =
          commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<String> files = new ArrayList<>();
      try (DiffFormatter formatter = new DiffFormatter(out)) {
        formatter.setRepository(r);
        for (DiffEntry entry :
            formatter.scan(parent == null ? null : parent.getTree(), commit.getTree())) {
          files.add(
              entry.getChangeType() == DiffEntry.ChangeType.DELETE
                  ? entry.getOldPath()
                  : entry.getNewPath());
          formatter.format(entry);
        }
      }
      String diff = spaced(out.toString(StandardCharsets.UTF_8));
      if (diff.length() > MAX_CHARS) {
        diff = diff.substring(0, MAX_CHARS) + "\n... (diff cut at " + MAX_CHARS + " characters)";
      }
      return new CulpritDiff(commit.getName(), commit.getShortMessage(), List.copyOf(files), diff);
    } catch (IOException e) {
      throw new LlmException(
          LlmException.Kind.CONFIG, "cannot read commit " + commitId + " in " + repo + ": " + e, e);
    }
  }

  /**
   * The diff with a space between each line's marker and its text ({@code "+ text"}): the
   * recognizers judge a value by the characters around it, and a marker glued to it ({@code
   * +3f9a...}) reads as part of a longer token, so an added secret would pass unrecognized.
   */
  static String spaced(String diff) {
    StringBuilder sb = new StringBuilder(diff.length() + diff.length() / 20);
    for (String line : diff.split("\n", -1)) {
      boolean header = line.startsWith("+++") || line.startsWith("---");
      if (!header
          && !line.isEmpty()
          && (line.charAt(0) == '+' || line.charAt(0) == '-' || line.charAt(0) == ' ')) {
        sb.append(line.charAt(0)).append(' ').append(line, 1, line.length());
      } else {
        sb.append(line);
      }
      sb.append('\n');
    }
    return sb.substring(0, Math.max(0, sb.length() - 1));
  }
}
