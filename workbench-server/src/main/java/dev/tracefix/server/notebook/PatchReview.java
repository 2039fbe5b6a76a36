package dev.tracefix.server.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A person's decision on a drafted patch, written into the patch cell's body as {@code accept: yes}
 * or {@code accept: no}, so the decision is part of the notebook (it travels through git and a
 * headless run repeats it). Accepting re-runs the cell: the candidates are drafted again and the
 * first that passes the review gate (secret scan, build, repro, tests) is committed with the
 * regression test ({@code fixloop}'s {@code Acceptance}); nothing is committed that did not pass.
 */
public final class PatchReview {
  private static final Pattern ACCEPT_LINE = Pattern.compile("^\\s*accept\\s*:.*$");

  public enum Decision {
    ACCEPT,
    REJECT;

    public static Decision parse(String word) {
      return switch (word == null ? "" : word.toLowerCase(Locale.ROOT)) {
        case "accept" -> ACCEPT;
        case "reject" -> REJECT;
        default ->
            throw new IllegalArgumentException(
                "decision must be 'accept' or 'reject', not '"
                    + word
                    + "'; to edit, change the"
                    + " patch cell's keys and run it again");
      };
    }
  }

  private PatchReview() {}

  /** The cell's source with its {@code accept:} line set to the decision (added when missing). */
  public static String withDecision(String source, Decision decision) {
    String line = "accept: " + (decision == Decision.ACCEPT ? "yes" : "no");
    List<String> lines = new ArrayList<>(List.of(source.split("\n", -1)));
    boolean replaced = false;
    for (int i = 0; i < lines.size(); i++) {
      if (ACCEPT_LINE.matcher(lines.get(i)).matches()) {
        lines.set(i, line);
        replaced = true;
      }
    }
    if (!replaced) {
      if (!lines.isEmpty() && lines.getLast().isEmpty()) {
        lines.set(lines.size() - 1, line);
      } else {
        lines.add(line);
      }
    }
    return String.join("\n", lines);
  }
}
