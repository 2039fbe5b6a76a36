package dev.tracefix.server.report;

import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.report.ReportPart.Code;
import dev.tracefix.server.report.ReportPart.Fact;
import dev.tracefix.server.report.ReportPart.Facts;
import dev.tracefix.server.report.ReportPart.Heading;
import dev.tracefix.server.report.ReportPart.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The fix loop's artifacts in full: minimized repro, bisect result and patch, in cell order. */
final class FixLoopSection {
  List<ReportPart> parts(Notebook notebook, Map<String, CellOutput> outputs) {
    List<ReportPart> minimized = new ArrayList<>();
    List<ReportPart> bisected = new ArrayList<>();
    List<ReportPart> patched = new ArrayList<>();
    for (Cell cell : notebook.cells()) {
      String id = cell.id();
      switch (outputs.get(cell.id())) {
        case CellOutput.Minimized m -> minimized.addAll(minimized(id, m));
        case CellOutput.Bisected b -> bisected.addAll(bisected(id, b));
        case CellOutput.Patched p -> patched.addAll(patched(id, p));
        case null, default -> {}
      }
    }
    List<ReportPart> parts = new ArrayList<>();
    section(parts, "Minimized repro", minimized, "No minimize cell produced a result.");
    section(parts, "Bisect", bisected, "No bisect cell produced a result.");
    section(parts, "Patch", patched, "No patch cell produced a result.");
    return parts;
  }

  private static void section(
      List<ReportPart> parts, String title, List<ReportPart> body, String whenEmpty) {
    parts.add(new Heading(3, title));
    if (body.isEmpty()) {
      parts.add(new Line(whenEmpty));
    } else {
      parts.addAll(body);
    }
  }

  private List<ReportPart> minimized(String cellId, CellOutput.Minimized m) {
    List<ReportPart> parts = new ArrayList<>();
    parts.add(
        new Line(
            "Cell "
                + cellId
                + ": "
                + m.rows().size()
                + " of "
                + m.originalSize()
                + " input rows still make the repro fail (1-minimal; "
                + m.oracleCalls()
                + " repro runs)."));
    parts.add(ReportBuilder.table(m.columns(), m.rows(), m.rows().size()));
    for (String change : m.shrunk()) {
      parts.add(new Line("Value shrunk: " + change));
    }
    boolean java = m.testPath().endsWith(".java");
    parts.add(new Line("Regression test for " + m.testPath() + " (fails until the bug is fixed):"));
    parts.add(new Code(java ? "java" : "bash", m.testScaffold()));
    return parts;
  }

  private List<ReportPart> bisected(String cellId, CellOutput.Bisected b) {
    List<List<Object>> steps = new ArrayList<>();
    for (CellOutput.BisectStep step : b.steps()) {
      steps.add(
          List.of(
              step.commit(),
              step.verdict(),
              step.exitCode(),
              step.role(),
              step.commit().equals(b.culprit()) ? "culprit" : ""));
    }
    return List.of(
        new Line(
            "Cell "
                + cellId
                + ": first bad commit "
                + b.culprit()
                + " \u2014 "
                + b.subject()
                + " ("
                + b.stepCount()
                + " steps"
                + (b.disagreements().isEmpty() ? "" : "; runs disagreed on " + b.disagreements())
                + ")."),
        ReportBuilder.table(
            List.of("commit", "verdict", "exit code", "role", ""), steps, steps.size()));
  }

  private List<ReportPart> patched(String cellId, CellOutput.Patched p) {
    List<ReportPart> parts = new ArrayList<>();
    parts.add(
        new Facts(
            List.of(
                new Fact("cell", cellId),
                new Fact("strategy", p.strategy()),
                new Fact("branch", p.branch()),
                new Fact(
                    "verdict",
                    p.reviewPassed()
                        ? "passed the review gate (the repro passes with the patch applied)"
                        : p.reproPasses()
                            ? "the repro passes, but the review gate refused it"
                            : "the repro still fails with the patch applied"),
                new Fact("accepted", p.accepted() == null ? "not accepted" : p.accepted()))));
    List<List<Object>> rows = new ArrayList<>();
    for (CellOutput.PatchCandidate c : p.candidates()) {
      rows.add(
          List.of(
              c.strategy(),
              c.summary(),
              c.branch(),
              c.passed() ? "passed" : "refused",
              String.join(
                  "; ", c.guardrails().stream().map(g -> g.name() + " " + g.status()).toList())));
    }
    if (!rows.isEmpty()) {
      parts.add(
          ReportBuilder.table(
              List.of("strategy", "candidate", "branch", "review gate", "guardrails"),
              rows,
              rows.size()));
    }
    parts.add(new Code("diff", p.diff()));
    if (p.pullRequest() != null) {
      parts.add(new Line("Pull-request description of the accepted commit:"));
      parts.add(new Code("markdown", p.pullRequest()));
    }
    if (p.log() != null && !p.log().isBlank()) {
      parts.add(new Line("What the checks printed:"));
      parts.add(new Code("text", p.log()));
    }
    return parts;
  }
}
