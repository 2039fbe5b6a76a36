package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.repro.InputTable;
import java.util.List;

/** The pull-request description of an accepted patch, in Markdown. */
final class PullRequestText {
  private static final int MAX_ROWS = 20;

  private PullRequestText() {}

  static String render(
      PatchReport report,
      CandidateReport chosen,
      Acceptance.Request request,
      String incident,
      String commit,
      ReproFigures before,
      ReproFigures after,
      String diff) {
    StringBuilder md = new StringBuilder();
    md.append("# Fix ").append(incident).append(": ").append(chosen.summary()).append("\n\n");
    md.append("- **Incident:** ").append(incident).append('\n');
    md.append("- **Culprit:** `")
        .append(report.culprit(), 0, 12)
        .append("` ")
        .append(report.culpritSubject())
        .append(
            request.bisectSteps() >= 0
                ? " (first bad commit, " + request.bisectSteps() + " bisect steps)"
                : "")
        .append('\n');
    md.append("- **Branch:** `")
        .append(chosen.branch())
        .append("` at `")
        .append(commit, 0, 12)
        .append("`, on top of `")
        .append(report.bad(), 0, 12)
        .append("`\n");
    md.append("- **Strategy:** ").append(chosen.strategy()).append('\n');
    md.append("- **Repro:** `")
        .append(request.spec().run())
        .append("` (")
        .append(request.reproSource())
        .append(")\n");
    request
        .test()
        .ifPresent(
            t ->
                md.append("- **Regression test:** `")
                    .append(t.path())
                    .append("`, fails before this change and passes after\n"));
    md.append("\n## Repro before and after\n\n");
    md.append("| | before (bad `")
        .append(report.bad(), 0, 7)
        .append("`) | after (this branch) |\n");
    md.append("|---|---|---|\n");
    md.append("| failing runs | ")
        .append(before.failing())
        .append(" | ")
        .append(after.failing())
        .append(" |\n");
    md.append("| exit codes | ")
        .append(before.exits())
        .append(" | ")
        .append(after.exits())
        .append(" |\n");
    md.append("| median time | ")
        .append(before.median())
        .append(" | ")
        .append(after.median())
        .append(" |\n");
    md.append("| last line | ")
        .append(cell(before.lastLine()))
        .append(" | ")
        .append(cell(after.lastLine()))
        .append(" |\n");
    request
        .minimal()
        .ifPresent(
            input -> {
              md.append("\nOn the minimized input: ")
                  .append(input.size())
                  .append(" of ")
                  .append(request.originalRows())
                  .append(" rows.\n\n");
              table(md, input);
            });
    md.append("\n## Review gate\n\n| guardrail | result | detail |\n|---|---|---|\n");
    for (Check c : chosen.checks()) {
      md.append("| ")
          .append(c.name())
          .append(" | ")
          .append(c.status().word())
          .append(" | ")
          .append(cell(c.detail()))
          .append(" |\n");
    }
    md.append("\n## How it was found\n\n");
    for (String line : report.lines()) {
      md.append("- ").append(line).append('\n');
    }
    for (String line : chosen.log()) {
      md.append("- ").append(line).append('\n');
    }
    md.append("\n## Change\n\n```diff\n").append(diff.strip()).append("\n```\n");
    return SecretScan.redact(md.toString());
  }

  private static void table(StringBuilder md, InputTable input) {
    md.append("| ").append(String.join(" | ", input.columns())).append(" |\n|");
    md.append("---|".repeat(input.columns().size())).append('\n');
    List<List<Object>> rows = input.rows();
    for (List<Object> row : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
      md.append("| ")
          .append(String.join(" | ", row.stream().map(v -> cell(String.valueOf(v))).toList()))
          .append(" |\n");
    }
    if (rows.size() > MAX_ROWS) {
      md.append("\n").append(rows.size() - MAX_ROWS).append(" more rows not shown.\n");
    }
  }

  private static String cell(String text) {
    String one = text.replace("\n", " ").replace("|", "\\|").strip();
    return one.length() > 120 ? one.substring(0, 117) + "..." : one;
  }
}
