package dev.tracefix.fixloop.patch;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.Edit;

/**
 * Reverse-applies the hunks of one file's change (parent -> culprit) to a later version of the file
 * (at the bad commit), hunk by hunk: a hunk whose culprit-side lines and context are found again is
 * reverted there (the nearest match to its original place wins; context shrinks from 3 lines to 0
 * before giving up), and a hunk that later commits changed is left alone and reported.
 */
final class HunkReverter {
  private static final int MAX_CONTEXT = 3;

  record Outcome(List<String> lines, int applied, List<String> skipped) {}

  private HunkReverter() {}

  static Outcome revert(
      List<String> parent, List<String> culprit, List<Edit> edits, List<String> bad) {
    List<String> current = new ArrayList<>(bad);
    int applied = 0;
    List<String> skipped = new ArrayList<>();
    for (int i = edits.size() - 1; i >= 0; i--) { // bottom-up keeps earlier positions valid
      Edit edit = edits.get(i);
      List<String> added = culprit.subList(edit.getBeginB(), edit.getEndB());
      List<String> removed = parent.subList(edit.getBeginA(), edit.getEndA());
      boolean done = false;
      for (int context = MAX_CONTEXT; context >= 0 && !done; context--) {
        if (context == 0 && added.isEmpty()) {
          break; // a pure insertion point cannot be found without context
        }
        List<String> before =
            culprit.subList(Math.max(0, edit.getBeginB() - context), edit.getBeginB());
        List<String> after =
            culprit.subList(edit.getEndB(), Math.min(culprit.size(), edit.getEndB() + context));
        List<String> pattern = new ArrayList<>(before);
        pattern.addAll(added);
        pattern.addAll(after);
        int at = nearestMatch(current, pattern, edit.getBeginB() - before.size());
        if (at >= 0) {
          int from = at + before.size();
          current.subList(from, from + added.size()).clear();
          current.addAll(from, removed);
          applied++;
          done = true;
        }
      }
      if (!done) {
        skipped.add(
            "hunk -"
                + (edit.getBeginA() + 1)
                + ","
                + edit.getLengthA()
                + " +"
                + (edit.getBeginB() + 1)
                + ","
                + edit.getLengthB()
                + " no longer matches at the bad commit");
      }
    }
    return new Outcome(current, applied, skipped);
  }

  private static int nearestMatch(List<String> lines, List<String> pattern, int expected) {
    int best = -1;
    for (int start = 0; start + pattern.size() <= lines.size(); start++) {
      if (lines.subList(start, start + pattern.size()).equals(pattern)
          && (best < 0 || Math.abs(start - expected) < Math.abs(best - expected))) {
        best = start;
      }
    }
    return best;
  }
}
