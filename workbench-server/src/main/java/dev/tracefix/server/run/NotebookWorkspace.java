package dev.tracefix.server.run;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.ResultPage;
import dev.tracefix.server.kernel.sql.ResultPages;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.share.Revision;
import dev.tracefix.server.wire.MayBeNull;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The notebooks of one folder and their live sessions: what the HTTP layer and the CLI drive. Names
 * are file names relative to the folder (e.g. {@code postmortem-timeout.md}). Methods throw {@link
 * ServerException} for unknown names and malformed files; cell failures come back as {@link
 * CellOutput.Error}.
 */
public interface NotebookWorkspace {

  record NotebookSummary(String name, String title, int cellCount) {}

  /** A cell as the UI shows it: its source and, if it ran in this session, its last output. */
  record CellView(
      String id,
      String kind,
      @MayBeNull String name,
      String source,
      @MayBeNull CellOutput output,
      boolean stale) {}

  /**
   * A notebook as the UI shows it: prose blocks and cells in file order, the parameter values its
   * SQL cells run with (front-matter defaults, with the values set for this session on top), and
   * what in its file was probably not meant ({@code file:line: message}, e.g. a misspelt cell
   * kind).
   */
  record NotebookView(
      String name,
      String title,
      List<Block> blocks,
      Map<String, String> parameters,
      List<String> warnings) {}

  /** Either prose (markdown) or a cell, in file order. */
  record Block(@MayBeNull String markdown, @MayBeNull CellView cell) {}

  /**
   * A structural edit of a notebook, by block index as {@link NotebookView#blocks()} lists them.
   *
   * @param op {@code insert} (a block of {@code kind} with {@code source} at {@code index}), {@code
   *     delete}, {@code convert} (to {@code kind}) or {@code prose} (replace the prose text)
   * @param kind {@code markdown} or a cell kind ({@code sql}, {@code java}, ...)
   * @param id the id of an inserted cell; a fresh one when null
   */
  record BlockEdit(
      String op,
      int index,
      @MayBeNull String kind,
      @MayBeNull String source,
      @MayBeNull String id) {}

  /** The body of creating a notebook: its file name, and the notebook to copy, if any. */
  record NewNotebook(String name, @MayBeNull String template) {}

  /** The body of renaming a notebook. */
  record Rename(String to) {}

  List<NotebookSummary> list();

  NotebookView open(String name);

  CellOutput runCell(String name, String cellId);

  NotebookView runAll(String name);

  /**
   * Runs the stale cells (and the never-run cells whose results they read) in dependency order; a
   * cycle of named results or a result no cell names is an error output of the cells involved.
   */
  default NotebookView runStale(String name) {
    throw new UnsupportedOperationException(
        "run-stale is not supported by " + getClass().getName());
  }

  /**
   * Rows {@code offset ..} of a SQL cell's result as the session keeps it (at most {@link
   * ResultPages#MAX_PAGE_ROWS}), sorted by {@code sort} if given; never waits for a running cell.
   */
  default ResultPage page(
      String name,
      String cellId,
      long offset,
      int limit,
      Optional<String> sort,
      boolean descending) {
    throw new UnsupportedOperationException("paging is not supported by " + getClass().getName());
  }

  /**
   * Reads a selection of events for a view (timeline, flame graph, exports): SQL cell {@code
   * cellId}'s kept result, or with none the event store's {@code events}; never waits for a cell.
   */
  default <T> T readSelection(String name, Optional<String> cellId, SelectionReader<T> reader) {
    throw new UnsupportedOperationException("views are not supported by " + getClass().getName());
  }

  /**
   * Sets the chart a SQL cell draws (null removes it) in the cell's fence, saves the file and draws
   * it from the kept result if the cell ran; the cell does not go stale.
   */
  default NotebookView setChart(
      String name, String cellId, dev.tracefix.server.views.chart.ChartSpec chart) {
    throw new UnsupportedOperationException("charts are not supported by " + getClass().getName());
  }

  /**
   * Records a person's decision on a patch cell's drafted fix in its body ({@code accept: yes|no})
   * and saves the file; accepting runs the cell, so the fix is committed only through the review
   * gate. Waits for a cell the notebook is running.
   */
  default NotebookView reviewPatch(
      String name, String cellId, dev.tracefix.server.notebook.PatchReview.Decision decision) {
    throw new UnsupportedOperationException(
        "patch review is not supported by " + getClass().getName());
  }

  /** Sessions, running cells and child VMs now, for {@code /metrics}. */
  default WorkspaceStats stats() {
    throw new UnsupportedOperationException("stats are not supported by " + getClass().getName());
  }

  /** Replaces a cell's source, saves the file, and marks the cell and its dependents stale. */
  default NotebookView updateCell(String name, String cellId, String source) {
    return updateCell(name, cellId, source, null);
  }

  /**
   * Like {@link #updateCell(String, String, String)}, refusing with {@link CellEditConflict} when
   * {@code base} (the source the edit started from) is given and the cell's source on disk is
   * neither it nor {@code source}: a concurrent edit of the same cell is never overwritten.
   */
  NotebookView updateCell(String name, String cellId, String source, String base);

  /**
   * Sets parameter values for this notebook's session (names it declares in its front matter);
   * cells that use a changed parameter become stale.
   */
  default NotebookView setParameters(String name, Map<String, String> values) {
    throw new UnsupportedOperationException(
        "parameters are not supported by " + getClass().getName());
  }

  /** Stops the statement or snippet that a cell of this notebook is running now, if any. */
  default void cancel(String name) {
    throw new UnsupportedOperationException("cancel is not supported by " + getClass().getName());
  }

  /**
   * Commits the notebook's file to the git repository its folder is in; empty when the file has not
   * changed since its last commit.
   */
  default Optional<Revision> save(String name, String message) {
    throw new UnsupportedOperationException("save is not supported by " + getClass().getName());
  }

  /** The notebook's saved versions, newest first. */
  default List<Revision> history(String name) {
    throw new UnsupportedOperationException("history is not supported by " + getClass().getName());
  }

  /** A unified diff of the notebook between two revisions ({@code working}: the file now). */
  default String diff(String name, String from, String to) {
    throw new UnsupportedOperationException("diff is not supported by " + getClass().getName());
  }

  /** The notebook as saved in {@code revision}, read-only and without outputs. */
  default NotebookView openAt(String name, String revision) {
    throw new UnsupportedOperationException("openAt is not supported by " + getClass().getName());
  }

  /** The project's saved queries ({@code queries/}), with titles and parameters. */
  default List<dev.tracefix.server.query.SavedQuery> savedQueries() {
    throw new UnsupportedOperationException(
        "saved queries are not offered by " + getClass().getName());
  }

  /**
   * Appends saved query {@code query} to the notebook as a SQL cell and declares its parameters in
   * the front matter; saves the file.
   */
  default NotebookView insertSavedQuery(String name, String query) {
    throw new UnsupportedOperationException(
        "saved queries are not offered by " + getClass().getName());
  }

  /** The notebook as Jupyter nbformat 4.5 JSON, with the outputs of cells that ran. */
  default dev.tracefix.server.kernel.sql.SqlCatalog catalog(String name) {
    throw new UnsupportedOperationException(
        "the catalog is not offered by " + getClass().getName());
  }

  default dev.tracefix.server.kernel.sql.ColumnSummary summary(
      String name, String cellId, String column) {
    throw new UnsupportedOperationException("summaries are not offered by " + getClass().getName());
  }

  /** Writes a SQL cell's whole kept result as CSV; returns the rows written. */
  default long writeCsv(
      String name, String cellId, Optional<String> sort, boolean descending, java.io.Writer out) {
    throw new UnsupportedOperationException("CSV export is not offered by " + getClass().getName());
  }

  /** Writes a SQL cell's whole kept result as Parquet; returns the rows written. */
  default long writeParquet(
      String name,
      String cellId,
      Optional<String> sort,
      boolean descending,
      java.io.OutputStream out) {
    throw new UnsupportedOperationException(
        "Parquet export is not offered by " + getClass().getName());
  }

  /** Stops the notebook's kernels; the next cell starts fresh ones. */
  default NotebookView restart(String name) {
    throw new UnsupportedOperationException("restart is not supported by " + getClass().getName());
  }

  default NotebookView edit(String name, BlockEdit edit) {
    throw new UnsupportedOperationException("editing is not supported by " + getClass().getName());
  }

  default NotebookView create(String name, String template) {
    throw new UnsupportedOperationException("creating is not supported by " + getClass().getName());
  }

  default NotebookSummary rename(String name, String to) {
    throw new UnsupportedOperationException("renaming is not supported by " + getClass().getName());
  }

  default String exportIpynb(String name) {
    throw new UnsupportedOperationException("export is not supported by " + getClass().getName());
  }
}
