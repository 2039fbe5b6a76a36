package dev.tracefix.server.run;

import java.util.List;

/**
 * The notebooks of one folder and their live sessions: what the HTTP layer and the CLI drive.
 * Names are file names relative to the folder (e.g. {@code postmortem-timeout.md}). Methods throw
 * {@link WorkspaceException} for unknown names and malformed files; cell failures come back as
 * {@link CellOutput.Error}.
 */
public interface NotebookWorkspace {

  record NotebookSummary(String name, String title, int cellCount) {}

  /** A cell as the UI shows it: its source and, if it ran in this session, its last output. */
  record CellView(
      String id, String kind, String name, String source, CellOutput output, boolean stale) {}

  /** A notebook as the UI shows it: prose blocks and cells in file order. */
  record NotebookView(String name, String title, List<Block> blocks) {}

  /** Either prose (markdown) or a cell, in file order. */
  record Block(String markdown, CellView cell) {}

  List<NotebookSummary> list();

  NotebookView open(String name);

  CellOutput runCell(String name, String cellId);

  NotebookView runAll(String name);

  /** Replaces a cell's source, saves the file, and marks the cell and its dependents stale. */
  NotebookView updateCell(String name, String cellId, String source);

  /** Stops the statement or snippet that a cell of this notebook is running now, if any. */
  default void cancel(String name) {
    throw new UnsupportedOperationException("cancel is not supported by " + getClass().getName());
  }

  /** The notebook as Jupyter nbformat 4.5 JSON, with the outputs of cells that ran. */
  default String exportIpynb(String name) {
    throw new UnsupportedOperationException("export is not supported by " + getClass().getName());
  }
}
