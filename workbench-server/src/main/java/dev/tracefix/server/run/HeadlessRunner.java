package dev.tracefix.server.run;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Cell;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every cell of one notebook file in order without a browser, printing one line per cell
 * ({@code [ok] sql retx: 12 rows (3 ms)} or {@code [FAIL] java cell-4: message}). Backs {@code
 * tracefix run NOTEBOOK}, which exits non-zero when {@link Result#failed()}.
 */
public final class HeadlessRunner {

  /** One cell's outcome. */
  public record CellResult(String id, String kind, CellOutput output, long millis) {
    public boolean failed() {
      return output instanceof CellOutput.Error;
    }
  }

  /** Every cell's outcome, in file order. */
  public record Result(Path notebook, List<CellResult> cells) {
    public Result {
      cells = List.copyOf(cells);
    }

    public boolean failed() {
      return cells.stream().anyMatch(CellResult::failed);
    }
  }

  private final NotebookDatabases databases;
  private final Path projectDir;
  private final Map<String, ActionCellRunner> actionRunners;
  private final KernelSettings settings;
  private final PrintStream out;

  public HeadlessRunner(
      NotebookDatabases databases,
      Path projectDir,
      Map<String, ActionCellRunner> actionRunners,
      KernelSettings settings,
      PrintStream out) {
    this.databases = databases;
    this.projectDir = projectDir;
    this.actionRunners = actionRunners;
    this.settings = settings;
    this.out = out;
  }

  /**
   * Runs the notebook; cell failures are in the result, not thrown.
   *
   * @throws ServerException when the file is missing or malformed
   */
  public Result run(Path notebookFile) {
    return run(notebookFile, Map.of(), null);
  }

  /**
   * Runs the notebook with {@code parameters} set (names its front matter declares) and, when
   * {@code ipynb} is given, writes the executed notebook there as nbformat 4.5 with outputs.
   */
  public Result run(Path notebookFile, Map<String, String> parameters, Path ipynb) {
    Path file = notebookFile.toAbsolutePath().normalize();
    String name = file.getFileName().toString();
    List<CellResult> results = new ArrayList<>();
    try (FileNotebookWorkspace workspace =
        new FileNotebookWorkspace(
            file.getParent(), databases, projectDir, actionRunners, settings)) {
      workspace.addProgressListener(
          (nb, cellId, line) -> out.println("  .. " + cellId + ": " + line));
      if (!parameters.isEmpty()) {
        workspace.setParameters(name, parameters);
      }
      for (String warning : workspace.notebook(name).warnings()) {
        out.println("warning: " + warning);
      }
      for (Cell cell : workspace.notebook(name).cells()) {
        long started = System.nanoTime();
        CellOutput output = workspace.runCell(name, cell.id());
        long millis = (System.nanoTime() - started) / 1_000_000;
        CellResult result = new CellResult(cell.id(), cell.kind().word(), output, millis);
        results.add(result);
        out.println(line(result));
      }
      if (ipynb != null) {
        writeIpynb(ipynb, workspace.exportIpynb(name));
      }
    }
    Result result = new Result(file, results);
    long failures = results.stream().filter(CellResult::failed).count();
    out.println(
        failures == 0
            ? "ok: " + results.size() + " cells ran"
            : "FAILED: "
                + failures
                + " of "
                + results.size()
                + " cells failed: "
                + String.join(
                    ", ",
                    results.stream().filter(CellResult::failed).map(CellResult::id).toList()));
    if (ipynb != null) {
      out.println("executed notebook: " + ipynb);
    }
    return result;
  }

  private static void writeIpynb(Path target, String json) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        java.nio.file.Files.createDirectories(parent);
      }
      java.nio.file.Files.writeString(target, json);
    } catch (java.io.IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot write the executed notebook " + target + ": " + e, e);
    }
  }

  static String line(CellResult r) {
    String head = (r.failed() ? "[FAIL] " : "[ok] ") + r.kind() + " " + r.id() + ": ";
    return head + summary(r.output()) + " (" + r.millis() + " ms)";
  }

  private static String summary(CellOutput output) {
    return switch (output) {
      case CellOutput.Table t -> t.totalRows() + (t.totalRows() == 1 ? " row" : " rows");
      case CellOutput.Text t -> {
        String first = t.text().lines().filter(l -> !l.isBlank()).findFirst().orElse("(no output)");
        yield first.length() > 80 ? first.substring(0, 77) + "..." : first;
      }
      case CellOutput.Hypotheses h ->
          h.items().size()
              + " hypotheses"
              + (h.provenance() == null ? "" : " by the " + h.provenance().answeredBy())
              + (h.items().isEmpty() ? "" : "; first: " + h.items().getFirst().statement())
              + (h.items().isEmpty() || h.items().getFirst().check() == null
                  ? ""
                  : " (" + h.items().getFirst().check().verdict() + ")");
      case CellOutput.Minimized m -> m.originalSize() + " -> " + m.rows().size() + " rows";
      case CellOutput.Bisected b -> "culprit " + b.culprit() + " " + b.subject();
      case CellOutput.Patched p ->
          "patch "
              + p.strategy()
              + " on "
              + p.branch()
              + (p.reviewPassed()
                  ? ", passed the review gate"
                  : p.reproPasses() ? ", repro passes, review gate refused" : ", repro still fails")
              + (p.accepted() == null ? "" : ", accepted as " + p.accepted().substring(0, 12));
      case CellOutput.Error e -> e.errorKind() + ": " + e.message();
    };
  }
}
