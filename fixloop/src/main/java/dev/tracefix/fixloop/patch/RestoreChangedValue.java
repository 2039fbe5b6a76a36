package dev.tracefix.fixloop.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.Edit;

/**
 * Restores a configuration value or constant the culprit changed, and nothing else.
 *
 * <p>A changed value is a line the culprit replaced by one that differs only in its literals
 * (numbers, quoted strings, true/false: {@code Duration.ofMillis(500)} to {@code ofMillis(50)}), or
 * a {@code key = value} / {@code key: value} line whose key stayed and whose value changed. At the
 * bad commit, the line that still reads as the culprit left it (same text, or the same skeleton
 * with the culprit's value, nearest its old place) gets the old value back. Unlike a revert, a
 * rename or refactoring in the same hunk stays. One candidate per changed value, in diff order.
 */
public final class RestoreChangedValue implements PatchStrategy {
  public static final String NAME = "restore-changed-value";

  private static final Pattern LITERAL =
      Pattern.compile(
          "\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|(?<![A-Za-z_0-9.])-?\\d+(?:\\.\\d+)?[A-Za-z%]*|\\b(?:true|false)\\b");
  private static final Pattern SETTING =
      Pattern.compile("^(\\s*[A-Za-z_][A-Za-z0-9_.\\-]*\\s*[:=]\\s*)(.*?)(\\s*)$");

  /** A value change: the culprit's line and the old line, and how to tell them apart. */
  record ValueChange(String path, int culpritLine, String newLine, String oldLine, String what) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Proposal propose(PatchContext context) {
    List<ValueChange> changes = new ArrayList<>();
    for (CulpritChange.FileChange file : context.change().files()) {
      if (file.before() == null || file.after() == null || file.binary()) {
        continue;
      }
      for (Edit edit : file.edits()) {
        if (edit.getType() != Edit.Type.REPLACE || edit.getLengthA() != edit.getLengthB()) {
          continue;
        }
        for (int i = 0; i < edit.getLengthA(); i++) {
          String oldLine = file.before().get(edit.getBeginA() + i);
          String newLine = file.after().get(edit.getBeginB() + i);
          int line = edit.getBeginB() + i;
          describe(oldLine, newLine)
              .ifPresent(
                  what ->
                      changes.add(new ValueChange(file.newPath(), line, newLine, oldLine, what)));
        }
      }
    }
    if (changes.isEmpty()) {
      return Proposal.none("the culprit changes no literal value or setting on its own line");
    }
    List<Candidate> candidates = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (ValueChange change : changes) {
      Optional<String> atBad = context.fileAtBad(change.path());
      if (atBad.isEmpty()) {
        notes.add(change.path() + ": gone at the bad commit; " + change.what() + " not restored");
        continue;
      }
      List<String> lines =
          new ArrayList<>(
              CulpritChange.lines(atBad.get().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      int at = find(lines, change);
      if (at < 0) {
        notes.add(
            change.path()
                + ": no line still reads as the culprit left it; "
                + change.what()
                + " not restored");
        continue;
      }
      String restored = restore(lines.get(at), change);
      lines.set(at, restored);
      candidates.add(
          new Candidate(
              NAME,
              "restore " + change.what() + " in " + change.path(),
              List.of(FileEdit.write(change.path(), String.join("", lines))),
              List.of(
                  change.path()
                      + ":"
                      + (at + 1)
                      + ": "
                      + change.newLine().strip()
                      + "  ->  "
                      + restored.strip())));
    }
    return new Proposal(candidates, notes);
  }

  /** What changed between the lines if only values did ("50 -> 500"), else empty. */
  static Optional<String> describe(String oldLine, String newLine) {
    if (oldLine.equals(newLine)) {
      return Optional.empty();
    }
    List<String> oldValues = literals(oldLine);
    List<String> newValues = literals(newLine);
    if (!oldValues.isEmpty()
        && skeleton(oldLine).equals(skeleton(newLine))
        && oldValues.size() == newValues.size()) {
      List<String> diffs = new ArrayList<>();
      for (int i = 0; i < oldValues.size(); i++) {
        if (!oldValues.get(i).equals(newValues.get(i))) {
          diffs.add(newValues.get(i) + " back to " + oldValues.get(i));
        }
      }
      return diffs.isEmpty()
          ? Optional.empty()
          : Optional.of("the value " + String.join(", ", diffs));
    }
    Matcher o = SETTING.matcher(oldLine.stripTrailing());
    Matcher n = SETTING.matcher(newLine.stripTrailing());
    if (o.matches()
        && n.matches()
        && o.group(1).strip().equals(n.group(1).strip())
        && !o.group(2).equals(n.group(2))) {
      return Optional.of(
          "the setting '" + o.group(1).strip() + " " + o.group(2) + "' (was " + n.group(2) + ")");
    }
    return Optional.empty();
  }

  private static int find(List<String> lines, ValueChange change) {
    int best = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals(change.newLine())
          && (best < 0
              || Math.abs(i - change.culpritLine()) < Math.abs(best - change.culpritLine()))) {
        best = i;
      }
    }
    if (best >= 0) {
      return best;
    }
    // the line was reformatted or its other parts changed later: same skeleton, the culprit's
    // values
    for (int i = 0; i < lines.size(); i++) {
      if (skeleton(lines.get(i)).equals(skeleton(change.newLine()))
          && literals(lines.get(i)).equals(literals(change.newLine()))
          && (best < 0
              || Math.abs(i - change.culpritLine()) < Math.abs(best - change.culpritLine()))) {
        best = i;
      }
    }
    return best;
  }

  private static String restore(String line, ValueChange change) {
    if (line.equals(change.newLine())) {
      return change.oldLine();
    }
    List<String> old = literals(change.oldLine());
    Matcher m = LITERAL.matcher(line);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(i < old.size() ? old.get(i) : m.group()));
      i++;
    }
    m.appendTail(out);
    return out.toString();
  }

  static List<String> literals(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = LITERAL.matcher(line);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static String skeleton(String line) {
    return LITERAL.matcher(line.strip()).replaceAll("\u0000");
  }
}
