package dev.tracefix.server.notebook;

import java.util.OptionalInt;

/**
 * Git's merge conflict markers in a notebook file: a merge or rebase that stopped on the same cell
 * leaves {@code <<<<<<< ours} and {@code >>>>>>> theirs} lines in the file, which parse as prose or
 * as a cell's source. The notebook opens (with a warning) so the conflict can be seen and resolved,
 * but saving it as it is would commit the markers.
 */
public final class ConflictMarkers {
  private ConflictMarkers() {}

  /** The 1-based line of the first conflict marker in {@code text}, if any. */
  public static OptionalInt firstLine(String text) {
    int line = 1;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      String l = text.substring(start, end < 0 ? text.length() : end);
      if (isMarker(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l)) {
        return OptionalInt.of(line);
      }
      if (end < 0) {
        break;
      }
      start = end + 1;
      line++;
    }
    return OptionalInt.empty();
  }

  /** "The line is a marker" message, for warnings and refusals. */
  public static String describe(String fileName, int line) {
    return fileName
        + ":"
        + line
        + ": an unresolved git merge conflict marker; edit the file to keep one version"
        + " (remove the <<<<<<<, ======= and >>>>>>> lines) before saving";
  }

  private static boolean isMarker(String line) {
    return line.equals("<<<<<<<")
        || line.equals(">>>>>>>")
        || line.startsWith("<<<<<<< ")
        || line.startsWith(">>>>>>> ");
  }
}
