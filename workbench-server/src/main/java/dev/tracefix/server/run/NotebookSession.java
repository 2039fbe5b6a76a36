package dev.tracefix.server.run;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.server.analyst.TraceAnalyst;
import dev.tracefix.server.kernel.java.HostData;
import dev.tracefix.server.kernel.java.JavaKernel;
import dev.tracefix.server.kernel.sql.SqlKernel;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookBlock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open notebook: its own database connection and kernels, the outputs of cells that ran, and
 * which of them are stale. Callers serialize runs and edits through {@link #lock}; reading (
 * {@link #view}, {@link #outputs}), adopting the file's new text ({@link #replace}) and {@link
 * #cancel} do not take it, so a cell that runs for minutes never keeps anyone from seeing the
 * notebook or stopping the cell.
 */
final class NotebookSession implements AutoCloseable {
  final Object lock = new Object();

  private final String name;
  private final SessionResources resources;
  private final Map<String, CellOutput> outputs = new ConcurrentHashMap<>();
  private final Set<String> stale = ConcurrentHashMap.newKeySet();
  private volatile Map<String, String> parameterOverrides = Map.of();
  private volatile Notebook notebook;
  private Connection connection;
  private SqlKernel sql;
  private JavaKernel java;
  /** Stops the action cell running now, if any (see {@link #cancel}). */
  private volatile Cancellation actionCancel;

  NotebookSession(String name, Notebook notebook, SessionResources resources) {
    this.name = name;
    this.notebook = notebook;
    this.resources = resources;
  }

  Notebook notebook() {
    return notebook;
  }

  /** Adopts a new version of the file: changed cells and their dependents become stale. */
  synchronized void replace(Notebook fresh) {
    Notebook old = notebook;
    notebook = fresh;
    for (Cell cell : fresh.cells()) {
      Optional<Cell> before = old.cell(cell.id());
      if (before.isEmpty() || !before.get().source().equals(cell.source())
          || before.get().kind() != cell.kind()) {
        stale.addAll(CellDependencies.withDependents(fresh, cell.id()));
      }
    }
    outputs.keySet().removeIf(id -> fresh.cell(id).isEmpty());
    stale.removeIf(id -> fresh.cell(id).isEmpty());
  }

  /** The values SQL cells run with: declared defaults, this session's values on top. */
  Map<String, String> parameters() {
    return NotebookParameters.effective(notebook.parameters(), parameterOverrides);
  }

  /** Sets this session's parameter values; cells that use a changed one become stale. */
  synchronized void setParameters(Map<String, String> values) {
    Map<String, String> before = parameters();
    Map<String, String> after = NotebookParameters.effective(notebook.parameters(), values);
    parameterOverrides = Map.copyOf(values);
    Set<String> changed = new java.util.HashSet<>();
    after.forEach((k, v) -> {
      if (!v.equals(before.get(k))) {
        changed.add(k);
      }
    });
    for (Cell cell : notebook.cells()) {
      if (outputs.containsKey(cell.id()) && NotebookParameters.refersTo(cell.source(), changed)) {
        stale.addAll(CellDependencies.withDependents(notebook, cell.id()));
      }
    }
  }

  CellOutput run(Cell cell) {
    CellOutput output;
    try {
      output = execute(cell);
    } catch (RuntimeException e) {
      output = new CellOutput.Error("internal", cell.kind().word() + " cell failed: " + e, stackOf(e));
    }
    output = KeyMaterialGuard.output(output);
    outputs.put(cell.id(), output);
    Set<String> downstream = CellDependencies.withDependents(notebook, cell.id());
    downstream.remove(cell.id());
    for (String id : downstream) {
      if (outputs.containsKey(id)) {
        stale.add(id);
      }
    }
    stale.remove(cell.id());
    return output;
  }

  private CellOutput execute(Cell cell) {
    return switch (cell.kind()) {
      case SQL -> {
        String source;
        try {
          source = NotebookParameters.apply(cell.source(), parameters());
        } catch (NotebookParameters.Missing | WorkspaceException e) {
          yield new CellOutput.Error("parameter", e.getMessage(), "");
        }
        Optional<CellOutput> failure = ensureConnection();
        yield failure.orElseGet(() -> sql.run(source, cell.name()));
      }
      case JAVA -> {
        Optional<CellOutput> failure = ensureConnection();
        if (failure.isPresent()) {
          yield failure.get();
        }
        if (java == null) {
          java = new JavaKernel(new SessionData(), resources.settings().javaTimeout());
        }
        yield java.run(cell.source());
      }
      case ASK -> {
        Optional<CellOutput> failure = ensureConnection();
        yield failure.orElseGet(
            () -> new TraceAnalyst().ask(connection, cell.actionBody().orElseThrow().asMap()));
      }
      case CAPTURE ->
          new CellOutput.Error(
              "unsupported",
              "capture cells run from the CLI in this version: tracefix capture ...",
              "");
      case MINIMIZE, BISECT, PATCH -> {
        ActionCellRunner runner = resources.actionRunners().get(cell.kind().word());
        if (runner == null) {
          yield new CellOutput.Error(
              "unsupported", "no runner for " + cell.kind().word() + " cells is installed", "");
        }
        Optional<CellOutput> failure = ensureConnection();
        if (failure.isPresent()) {
          yield failure.get();
        }
        Cancellation stop = new Cancellation();
        actionCancel = stop;
        CellOutput out;
        try {
          out = runner.run(cell.actionBody().orElseThrow().asMap(), context(cell, stop));
        } finally {
          actionCancel = null;
        }
        yield out == null
            ? new CellOutput.Error("internal", cell.kind().word() + " runner returned nothing", "")
            : out;
      }
    };
  }

  private Optional<CellOutput> ensureConnection() {
    if (connection != null) {
      return Optional.empty();
    }
    try {
      connection = resources.db().connect();
      sql =
          new SqlKernel(
              connection,
              resources.settings().sqlTimeout(),
              resources.settings().maxDisplayedRows());
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      return Optional.of(
          new CellOutput.Error(
              "sql", "cannot open the notebook database: " + e.getMessage(), stackOf(e)));
    }
  }

  private CellContext context(Cell cell, Cancellation stop) {
    return new CellContext() {
      @Override
      public Path notebookDir() {
        return resources.notebookDir();
      }

      @Override
      public Path projectDir() {
        return resources.projectDir();
      }

      @Override
      public Path workDir() {
        return resources.workDir();
      }

      @Override
      public Connection sql() {
        return connection;
      }

      @Override
      public Optional<CellOutput> result(String resultName) {
        return Optional.ofNullable(outputs.get(resultName))
            .filter(o -> notebook.cell(resultName).flatMap(Cell::name).isPresent());
      }

      @Override
      public void progress(String line) {
        resources.progress().progress(name, cell.id(), line);
      }

      @Override
      public Cancellation cancellation() {
        return stop;
      }
    };
  }

  /** Stops whatever runs now (SQL statement, Java snippet, action cell); callable from any thread. */
  void cancel() {
    Cancellation action = actionCancel;
    if (action != null) {
      action.cancel();
    }
    SqlKernel s = sql;
    if (s != null) {
      s.cancel();
    }
    JavaKernel j = java;
    if (j != null) {
      j.cancel();
    }
  }

  NotebookWorkspace.NotebookView view() {
    // One version throughout, even if the file changes meanwhile.
    Notebook current = notebook;
    return viewOf(
        name,
        current,
        outputs,
        stale,
        NotebookParameters.effective(current.parameters(), parameterOverrides));
  }

  /** The UI's view of {@code notebook} with these outputs and stale marks. */
  static NotebookWorkspace.NotebookView viewOf(
      String name,
      Notebook notebook,
      Map<String, CellOutput> outputs,
      Set<String> stale,
      Map<String, String> parameters) {
    List<NotebookWorkspace.Block> blocks = new ArrayList<>();
    for (NotebookBlock block : notebook.blocks()) {
      switch (block) {
        case NotebookBlock.Prose prose -> blocks.add(new NotebookWorkspace.Block(prose.text(), null));
        case Cell cell ->
            blocks.add(
                new NotebookWorkspace.Block(
                    null,
                    new NotebookWorkspace.CellView(
                        cell.id(),
                        cell.kind().word(),
                        cell.name().orElse(null),
                        cell.source(),
                        outputs.get(cell.id()),
                        stale.contains(cell.id()))));
      }
    }
    return new NotebookWorkspace.NotebookView(
        name, notebook.title().orElse(name), List.copyOf(blocks), Map.copyOf(parameters));
  }

  Map<String, CellOutput> outputs() {
    return Map.copyOf(outputs);
  }

  /** Rows for Java cells, served over the kernel's loopback bridge. */
  private final class SessionData implements HostData {
    @Override
    public List<Map<String, Object>> sql(String query) throws SQLException {
      return KeyMaterialGuard.rowMaps(sql.rows(query));
    }

    @Override
    public List<Map<String, Object>> result(String resultName) throws SQLException {
      CellOutput output = outputs.get(resultName);
      if (output == null || notebook.cell(resultName).flatMap(Cell::name).isEmpty()) {
        throw new IllegalArgumentException(
            "no result named '" + resultName + "': run the cell with name=" + resultName + " first");
      }
      if (output instanceof CellOutput.Table) {
        return KeyMaterialGuard.rowMaps(sql.rows("SELECT * FROM \"" + resultName + "\""));
      }
      return ResultRows.of(output);
    }
  }

  static String stackOf(Throwable t) {
    java.io.StringWriter sw = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(sw));
    return sw.toString();
  }

  @Override
  public void close() {
    if (java != null) {
      java.close();
      java = null;
    }
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing is best effort; the database keeps no session state
      }
      connection = null;
    }
  }
}
