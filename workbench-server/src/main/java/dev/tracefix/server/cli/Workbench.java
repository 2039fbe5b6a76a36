package dev.tracefix.server.cli;

import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.server.minimize.MinimizeCellRunner;
import dev.tracefix.server.patch.PatchCellRunner;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.server.run.HeadlessRunner;
import dev.tracefix.server.run.KernelSettings;
import java.io.PrintStream;
import dev.tracefix.sink.EventStore;
import java.nio.file.Path;
import java.util.Map;

/** Assembles a notebook workspace over an event store, the same way for serve, run and demo. */
final class Workbench {
  private Workbench() {}

  static Map<String, ActionCellRunner> actionRunners() {
    return Map.of(
        "minimize", new MinimizeCellRunner(),
        "bisect", new BisectCellRunner(),
        "patch", new PatchCellRunner());
  }

  static HeadlessRunner headless(EventStore store, PrintStream out) {
    return new HeadlessRunner(
        store::connect, ProjectPaths.home(), actionRunners(), KernelSettings.DEFAULTS, out);
  }

  static FileNotebookWorkspace workspace(Path notebooksDir, EventStore store, Path projectDir) {
    return new FileNotebookWorkspace(notebooksDir, store::connect, projectDir, actionRunners());
  }
}
