package dev.tracefix.server.run;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.analyst.TraceAnalyst;
import dev.tracefix.server.kernel.java.HostData;
import dev.tracefix.server.kernel.java.HostTable;
import dev.tracefix.server.kernel.java.JavaKernel;
import dev.tracefix.server.kernel.sql.ColumnSummary;
import dev.tracefix.server.kernel.sql.CsvExport;
import dev.tracefix.server.kernel.sql.NotebookDatabase;
import dev.tracefix.server.kernel.sql.ParquetExport;
import dev.tracefix.server.kernel.sql.ResultPage;
import dev.tracefix.server.kernel.sql.ResultPages;
import dev.tracefix.server.kernel.sql.ResultTable;
import dev.tracefix.server.kernel.sql.SqlCatalog;
import dev.tracefix.server.kernel.sql.SqlKernel;
import dev.tracefix.server.limits.Limit;
import dev.tracefix.server.limits.LimitException;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.CellKind;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookBlock;
import dev.tracefix.server.parameters.SqlParameters;
import dev.tracefix.server.views.chart.Chart;
import dev.tracefix.server.views.chart.ChartQuery;
import dev.tracefix.server.views.chart.ChartSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open notebook: its own DuckDB database ({@link NotebookDatabase}) and Java VM, the outputs of
 * cells that ran, and which of them are stale. Callers serialize runs and edits through {@link
 * #lock}; reading ({@link #view}, {@link #outputs}, {@link #page}), adopting the file's new text
 * ({@link #replace}) and {@link #cancel} do not take it, so a cell that runs for minutes never
 * keeps anyone from seeing the notebook, paging a result or stopping the cell.
 *
 * <p>The notebook's limits (front matter over the server's defaults) open its database and VM; when
 * the front matter changes them, both are closed before the next cell and reopened with the new
 * ones, and every cell that ran goes stale (its kept result is gone).
 */
final class NotebookSession implements AutoCloseable {
  final Object lock = new Object();

  private final String name;
  private final SessionResources resources;
  private final Map<String, CellOutput> outputs = new ConcurrentHashMap<>();
  private final Set<String> stale = ConcurrentHashMap.newKeySet();
  private final SessionData data = new SessionData();

  /** Tables Java cells showed from the host ({@code show(sql(...))}), by cell id, for paging. */
  private final Map<String, SessionData.Kept> shownTables = new ConcurrentHashMap<>();

  private volatile Map<String, String> parameterOverrides = Map.of();
  private volatile Notebook notebook;
  private volatile NotebookDatabase database;
  private Connection connection;
  private volatile SqlKernel sql;
  private volatile JavaKernel java;
  private Limits openedWith;
  private volatile String runningCell;

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

  /** The notebook's limits: the server's defaults, the front matter's on top. */
  Limits limits() {
    return resources.settings().defaults().with(notebook.limits());
  }

  /** Adopts a new version of the file: changed cells and their dependents become stale. */
  synchronized void replace(Notebook fresh) {
    Notebook old = notebook;
    notebook = fresh;
    for (Cell cell : fresh.cells()) {
      Optional<Cell> before = old.cell(cell.id());
      if (before.isEmpty()
          || !before.get().source().equals(cell.source())
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
    after.forEach(
        (k, v) -> {
          if (!v.equals(before.get(k))) {
            changed.add(k);
          }
        });
    for (Cell cell : notebook.cells()) {
      if (outputs.containsKey(cell.id()) && SqlParameters.refersTo(cell.source(), changed)) {
        stale.addAll(CellDependencies.withDependents(notebook, cell.id()));
      }
    }
  }

  CellOutput run(Cell cell) {
    CellOutput output;
    runningCell = cell.id();
    resources.counters().running.incrementAndGet();
    try {
      reopenIfLimitsChanged();
      output = withChart(cell, execute(cell));
    } catch (LimitException e) {
      output = new CellOutput.Error("limit", e.getMessage(), "");
    } catch (RuntimeException e) {
      output =
          new CellOutput.Error("internal", cell.kind().word() + " cell failed: " + e, stackOf(e));
    } finally {
      runningCell = null;
      resources.counters().running.decrementAndGet();
    }
    return record(cell, output);
  }

  /** Keeps a cell's output (guarded) and marks the cells that read its result stale. */
  private CellOutput record(Cell cell, CellOutput result) {
    CellOutput output = KeyMaterialGuard.output(result);
    resources.counters().cellsRun.incrementAndGet();
    if (output instanceof CellOutput.Error e && e.errorKind().equals("limit")) {
      resources.counters().limitErrors.incrementAndGet();
    }
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

  /**
   * Runs the stale cells, and the never-run cells whose named results they read, in dependency
   * order. A cell in a cycle of named results, one that reads a result no cell names, and one whose
   * upstream cell failed in this pass get an error output instead of running.
   */
  void runStale() {
    Notebook current = notebook;
    CellDependencies.Plan plan = CellDependencies.plan(current, stale, outputs.keySet());
    Set<String> failed = new java.util.HashSet<>();
    for (String id : plan.order()) {
      Cell cell = current.cell(id).orElseThrow();
      String why = plan.failures().get(id);
      CellOutput output;
      if (why != null) {
        output = record(cell, new CellOutput.Error("dependency", why, ""));
      } else {
        Optional<String> broken =
            plan.dependencies().getOrDefault(id, Set.of()).stream()
                .filter(failed::contains)
                .findFirst();
        output =
            broken.isPresent()
                ? record(
                    cell,
                    new CellOutput.Error(
                        "dependency",
                        "not run: cell '"
                            + broken.get()
                            + "', whose result this cell reads,"
                            + " failed in this run",
                        ""))
                : run(cell);
      }
      if (output instanceof CellOutput.Error) {
        failed.add(id);
      }
    }
  }

  private CellOutput execute(Cell cell) {
    return switch (cell.kind()) {
      case SQL -> {
        String source;
        try {
          source = NotebookParameters.apply(cell.source(), parameters());
        } catch (ServerException e) {
          yield new CellOutput.Error("parameter", e.getMessage(), "");
        }
        Optional<CellOutput> failure = ensureDatabase();
        yield failure.orElseGet(() -> sql.run(source, cell.id(), cell.name(), cellLimits(cell)));
      }
      case JAVA -> {
        Optional<CellOutput> failure = ensureDatabase();
        if (failure.isPresent()) {
          yield failure.get();
        }
        Limits limits = cellLimits(cell);
        data.limits = limits;
        data.shown = null;
        CellOutput out = javaKernel().run(cell.source(), limits);
        SessionData.Kept shownTable = data.shown;
        if (out instanceof CellOutput.Table && shownTable != null) {
          shownTables.put(cell.id(), shownTable);
        } else {
          shownTables.remove(cell.id());
        }
        yield out;
      }
      case ASK -> {
        Optional<CellOutput> failure = ensureDatabase();
        if (failure.isPresent()) {
          yield failure.get();
        }
        // The workbench installs an "ask" runner (a model behind the privacy gateway, else the
        // analyst).
        ActionCellRunner asker = resources.actionRunners().get("ask");
        Map<String, String> body = cell.actionBody().orElseThrow().asMap();
        if (asker == null) {
          yield new TraceAnalyst().ask(connection, body);
        }
        // Stoppable like the fix-loop cells: a stop aborts the model request in flight.
        Cancellation stop = new Cancellation();
        actionCancel = stop;
        try {
          yield asker.run(body, context(cell, stop));
        } finally {
          actionCancel = null;
        }
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
        Optional<CellOutput> failure = ensureDatabase();
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

  private Limits cellLimits(Cell cell) {
    return limits().withCell(cell.limits());
  }

  private JavaKernel javaKernel() {
    if (java == null) {
      Limits limits = limits();
      java =
          new JavaKernel(
              data,
              JavaKernel.VmLimits.of(limits),
              resources.counters().kernelRestarts::incrementAndGet);
      if (openedWith == null) {
        openedWith = limits;
      }
    }
    return java;
  }

  /** Closes the database and the VM when the front matter changed what they were opened with. */
  private void reopenIfLimitsChanged() {
    if (openedWith == null || openedWith.sameNotebookLimits(limits())) {
      return;
    }
    closeKernels();
    stale.addAll(outputs.keySet());
  }

  private Optional<CellOutput> ensureDatabase() {
    NotebookDatabase open = database;
    Optional<String> storeChange = open == null ? Optional.empty() : open.storeChange();
    if (storeChange.isPresent()) {
      return Optional.of(
          new CellOutput.Error(
              "store",
              storeChange.get()
                  + "; the cells' results so far come from the file as it was. Restart the"
                  + " notebook to attach the store as it is now (kept results are dropped),"
                  + " or put the earlier file back",
              ""));
    }
    if (sql != null) {
      try {
        database.attachLiveCaptures(); // captures that finished since the last cell
      } catch (SQLException e) {
        return Optional.of(
            new CellOutput.Error(
                "sql", "cannot attach a finished live capture: " + e.getMessage(), stackOf(e)));
      }
      return Optional.empty();
    }
    Limits limits = limits();
    try {
      NotebookDatabase opened =
          resources
              .databases()
              .open(limits.memory(), limits.threads(), resources.workDir().resolve("duckdb-spill"));
      try {
        connection = opened.connect();
      } catch (SQLException | RuntimeException e) {
        opened.close();
        throw e;
      }
      database = opened;
      sql =
          new SqlKernel(
              connection,
              resources.settings().firstPageRows(),
              resources.settings().firstPageBytes());
      if (openedWith == null) {
        openedWith = limits;
      }
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

  /**
   * The output with the chart the cell's fence asks for, drawn from the whole kept result; a chart
   * that cannot be drawn carries its reason, and the table shows as always.
   */
  private CellOutput withChart(Cell cell, CellOutput output) {
    if (cell.kind() != CellKind.SQL || !(output instanceof CellOutput.Table table)) {
      return output;
    }
    Optional<ChartSpec> spec = ChartSpec.of(cell.attributes()); // checked when the file was parsed
    NotebookDatabase db = database;
    if (spec.isEmpty()) {
      return table.chart() == null ? table : table.withChart(null);
    }
    if (db == null) {
      return output;
    }
    try (Connection c = db.connect()) {
      return table.withChart(
          ChartQuery.read(c, ResultTable.ofCell(cell.id(), cell.name()).sql(), spec.get()));
    } catch (SQLException e) {
      return table.withChart(
          Chart.failed(spec.get(), "the chart could not be read: " + e.getMessage()));
    }
  }

  /** Draws a cell's chart again after its fence changed (the result is not run again). */
  void redrawChart(String cellId) {
    Optional<Cell> cell = notebook.cell(cellId);
    CellOutput output = outputs.get(cellId);
    if (cell.isPresent() && output != null) {
      outputs.put(cellId, withChart(cell.get(), output));
    }
  }

  /**
   * Reads a selection for a view on a connection of its own (like {@link #page}, never waiting for
   * a running cell): the kept result of SQL cell {@code cellId}, or with none the event store's
   * {@code events}.
   *
   * @throws ServerException NOT_FOUND for a cell without a kept table result or a notebook without
   *     a store, INVALID when the view cannot use the selection (it names what lacks)
   */
  <T> T readSelection(Optional<String> cellId, SelectionReader<T> reader) {
    String what = cellId.map(id -> "the result of '" + id + "'").orElse("the store's events");
    try {
      if (cellId.isPresent()) {
        Cell cell = keptTableCell(cellId.get());
        NotebookDatabase db = database;
        if (db == null) {
          throw noTable(cellId.get());
        }
        try (Connection c = db.connect()) {
          return reader.read(c, ResultTable.ofCell(cell.id(), cell.name()).sql(), db.storeSchema());
        }
      }
      if (resources.databases().storeFile() == null) {
        throw new ServerException(
            ServerException.Kind.NOT_FOUND,
            name + ": this workbench has no event store; start it with 'tracefix serve --db FILE'");
      }
      return readStoreEvents(reader);
    } catch (IllegalArgumentException e) {
      throw new ServerException(ServerException.Kind.INVALID, name + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO, name + ": cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * The store's events, or a clear refusal when the file was deleted, replaced by something that is
   * not a DuckDB file, or by a database without an {@code events} table since the workbench
   * started: each view call attaches the store afresh, so it reads the file as it is now.
   */
  private <T> T readStoreEvents(SelectionReader<T> reader) throws SQLException {
    Path store = resources.databases().storeFile();
    if (!Files.isRegularFile(store)) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND,
          name
              + ": the event store "
              + store
              + " is gone (deleted or moved after the workbench started); put it back, or restart"
              + " with 'tracefix serve --db FILE'");
    }
    Connection c;
    try {
      c = resources.databases().connect();
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.CONFLICT,
          name
              + ": the event store "
              + store
              + " cannot be opened as a DuckDB database (was it"
              + " replaced?): "
              + e.getMessage(),
          e);
    }
    try (c) {
      try (var s = c.createStatement();
          var r =
              s.executeQuery(
                  "select count(*) from duckdb_tables()"
                      + " where database_name = 'store' and schema_name = 'main'"
                      + " and table_name = 'events'")) {
        if (!r.next() || r.getLong(1) == 0) {
          throw new ServerException(
              ServerException.Kind.NOT_FOUND,
              name
                  + ": the event store "
                  + store
                  + " has no events table: it is not a tracefix capture store (was it replaced?)");
        }
      }
      return reader.read(c, "store.main.events", "store.main");
    }
  }

  private Cell keptTableCell(String cellId) {
    Cell cell =
        notebook
            .cell(cellId)
            .orElseThrow(
                () ->
                    new ServerException(
                        ServerException.Kind.NOT_FOUND,
                        name + ": no cell with id '" + cellId + "'"));
    if (cell.kind() != CellKind.SQL || !(outputs.get(cellId) instanceof CellOutput.Table)) {
      throw noTable(cellId);
    }
    return cell;
  }

  private ServerException noTable(String cellId) {
    return new ServerException(
        ServerException.Kind.NOT_FOUND,
        name + ": cell '" + cellId + "' has no table result in this session; run it first");
  }

  /**
   * Rows {@code offset ..} of a SQL cell's kept result, read on a connection of its own, so it
   * works while another cell of the notebook runs.
   *
   * @throws ServerException NOT_FOUND when the cell has no kept result in this session, INVALID for
   *     a sort column the result lacks
   */
  ResultPage page(
      String cellId, long offset, int limit, Optional<String> sort, boolean descending) {
    Cell cell =
        notebook
            .cell(cellId)
            .orElseThrow(
                () ->
                    new ServerException(
                        ServerException.Kind.NOT_FOUND,
                        name + ": no cell with id '" + cellId + "'"));
    NotebookDatabase db = database;
    SessionData.Kept shownTable = cell.kind() == CellKind.JAVA ? shownTables.get(cellId) : null;
    if ((cell.kind() != CellKind.SQL && shownTable == null)
        || !(outputs.get(cellId) instanceof CellOutput.Table)
        || db == null) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND,
          name
              + ": cell '"
              + cellId
              + "' has no kept table result in this session; run it first"
              + " (a Java cell's table is kept when it shows sql(...))");
    }
    ResultTable table =
        shownTable != null ? shownTable.table() : ResultTable.ofCell(cellId, cell.name());
    try (Connection c = db.connect()) {
      ResultPage page =
          ResultPages.read(
              c,
              table,
              offset,
              limit,
              sort,
              descending,
              ResultPages.PAGE_BYTES,
              limits().timeout());
      long total = shownTable != null ? shownTable.size() : page.totalRows();
      List<List<Object>> rows = page.rows();
      if (offset + rows.size() > total) {
        rows = rows.subList(0, (int) Math.max(0, total - offset)); // a cut table's probe row
      }
      return new ResultPage(page.columns(), KeyMaterialGuard.rows(rows), page.offset(), total);
    } catch (ResultPages.UnknownColumn e) {
      throw new ServerException(ServerException.Kind.INVALID, e.getMessage(), e);
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("Catalog Error")) {
        throw new ServerException(
            ServerException.Kind.NOT_FOUND,
            name
                + ": the result of cell '"
                + cellId
                + "' is not kept (only a query's result is;"
                + " SHOW, PRAGMA and the like show their first rows only)",
            e);
      }
      throw new ServerException(
          ServerException.Kind.IO,
          name + ": cannot read the result of '" + cellId + "': " + message,
          e);
    }
  }

  /**
   * What this notebook's SQL can name, read live from its database (opened here if no cell ran
   * yet), on a connection of its own so it answers while a cell runs.
   */
  SqlCatalog catalog() {
    NotebookDatabase db = database;
    if (db == null) {
      synchronized (lock) {
        ensureDatabase()
            .ifPresent(
                error -> {
                  throw new ServerException(
                      ServerException.Kind.IO, name + ": " + ((CellOutput.Error) error).message());
                });
        db = database;
      }
    }
    try (Connection c = db.connect()) {
      return SqlCatalog.read(c);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO, name + ": cannot read the catalog: " + e.getMessage(), e);
    }
  }

  /** Type, min/max, nulls and a distinct estimate of one column of a SQL cell's kept result. */
  ColumnSummary summary(String cellId, String column) {
    try (Connection c = keptResultConnection(cellId)) {
      return ColumnSummary.of(c, keptTable(cellId), column).withText(KeyMaterialGuard::text);
    } catch (ResultPages.UnknownColumn e) {
      throw new ServerException(ServerException.Kind.INVALID, e.getMessage(), e);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO,
          name + ": cannot summarize '" + column + "': " + e.getMessage(),
          e);
    }
  }

  /** A SQL cell's whole kept result as CSV, streamed; the rows pass the key-material guard. */
  long writeCsv(String cellId, Optional<String> sort, boolean descending, java.io.Writer out) {
    try (Connection c = keptResultConnection(cellId)) {
      return CsvExport.write(c, keptTable(cellId), sort, descending, KeyMaterialGuard::rows, out);
    } catch (ResultPages.UnknownColumn e) {
      throw new ServerException(ServerException.Kind.INVALID, e.getMessage(), e);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO, name + ": cannot export '" + cellId + "': " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A SQL cell's whole kept result as Parquet, written by DuckDB into the server's folder of the
   * notebook's database and streamed; text passes the key-material guard.
   */
  long writeParquet(
      String cellId, Optional<String> sort, boolean descending, java.io.OutputStream out) {
    try (Connection c = keptResultConnection(cellId)) {
      // The connection proves the result is kept; the export opens the server's own.
      return ParquetExport.write(
          database, keptTable(cellId), sort, descending, KeyMaterialGuard::text, out);
    } catch (ResultPages.UnknownColumn | ParquetExport.Refused e) {
      throw new ServerException(ServerException.Kind.INVALID, e.getMessage(), e);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO, name + ": cannot export '" + cellId + "': " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ResultTable keptTable(String cellId) {
    return ResultTable.ofCell(cellId, notebook.cell(cellId).orElseThrow().name());
  }

  /** A fresh connection to the database that keeps {@code cellId}'s table result. */
  private Connection keptResultConnection(String cellId) throws SQLException {
    Cell cell =
        notebook
            .cell(cellId)
            .orElseThrow(
                () ->
                    new ServerException(
                        ServerException.Kind.NOT_FOUND,
                        name + ": no cell with id '" + cellId + "'"));
    NotebookDatabase db = database;
    if (cell.kind() != CellKind.SQL
        || !(outputs.get(cellId) instanceof CellOutput.Table)
        || db == null) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND,
          name + ": cell '" + cellId + "' has no table result in this session; run it first");
    }
    return db.connect();
  }

  /**
   * Stops what runs and closes the notebook's database and Java VM; the next cell opens fresh ones.
   * Every output is kept on screen but marked stale, since the results it read are gone.
   */
  void restart() {
    cancel();
    synchronized (lock) {
      closeKernels();
      stale.addAll(outputs.keySet());
    }
  }

  /**
   * Stops whatever runs now (SQL statement, Java snippet, action cell); callable from any thread.
   */
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

  /** The id of the cell running now, if one is. */
  Optional<String> runningCell() {
    return Optional.ofNullable(runningCell);
  }

  boolean javaVmRunning() {
    JavaKernel j = java;
    return j != null && j.vmRunning();
  }

  boolean databaseOpen() {
    return database != null;
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
        case NotebookBlock.Prose prose ->
            blocks.add(new NotebookWorkspace.Block(prose.text(), null));
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
        name,
        notebook.title().orElse(name),
        List.copyOf(blocks),
        Map.copyOf(parameters),
        notebook.warnings());
  }

  Map<String, CellOutput> outputs() {
    return Map.copyOf(outputs);
  }

  /**
   * Rows for Java cells, served over the kernel's loopback bridge. A query's rows are kept in the
   * notebook's database ({@code tracefix_java}), at most the cell's {@code max_rows}, and handed
   * out a page at a time; the {@link #KEPT_JAVA_TABLES} newest stay, older ones are dropped.
   */
  private final class SessionData implements HostData {
    static final int KEPT_JAVA_TABLES = 8;
    private static final int FIRST_PAGE = 1000;

    volatile Limits limits = Limits.defaults();

    /** The table the running cell showed, if it showed a kept one. */
    volatile Kept shown;

    /** Tables snippets page through, by handle; {@code size} -1: as many rows as the table has. */
    private final Map<String, Kept> handles = new LinkedHashMap<>();

    private long queries;

    @Override
    public HostTable sql(String query) throws SQLException {
      SqlKernel kernel = sql;
      Limits cell = limits;
      ResultTable table;
      String handle;
      synchronized (handles) {
        table = ResultTable.ofJava(++queries);
        handle = table.table();
      }
      SqlKernel.Kept kept = kernel.keepForJava(query, table, cell);
      synchronized (handles) {
        handles.put(handle, new Kept(table, kept.rows()));
        while (handles.size() > KEPT_JAVA_TABLES) {
          String oldest = handles.keySet().iterator().next();
          Kept dropped = handles.remove(oldest);
          if (dropped.table().schema().equals(NotebookDatabase.JAVA)) {
            kernel.drop(dropped.table());
          }
        }
      }
      String note =
          kept.truncated()
              ? "sql(...) truncated at "
                  + kept.rows()
                  + " rows: "
                  + cell.exceeded(
                      Limit.MAX_ROWS,
                      "the query had more rows than a Java cell's sql() keeps",
                      "java")
              : null;
      return page(handle, table, 0, FIRST_PAGE, kept.rows(), kept.truncated(), note);
    }

    @Override
    public HostTable result(String resultName) throws SQLException {
      CellOutput output = outputs.get(resultName);
      Optional<Cell> cell = notebook.cell(resultName).filter(c -> c.name().isPresent());
      if (output == null || cell.isEmpty()) {
        throw new IllegalArgumentException(
            "no result named '"
                + resultName
                + "': run the cell with name="
                + resultName
                + " first");
      }
      if (output instanceof CellOutput.Table && cell.get().kind() == CellKind.SQL) {
        ResultTable table = ResultTable.ofCell(resultName, cell.get().name());
        String handle = "result:" + resultName;
        synchronized (handles) {
          handles.put(handle, new Kept(table, -1));
        }
        return page(handle, table, 0, FIRST_PAGE, -1, false, null);
      }
      List<Map<String, Object>> rows = ResultRows.of(output);
      List<String> columns = rows.isEmpty() ? List.of() : List.copyOf(rows.getFirst().keySet());
      List<List<Object>> values = new ArrayList<>();
      for (Map<String, Object> row : rows) {
        values.add(columns.stream().map(row::get).toList());
      }
      return new HostTable(
          null, columns, KeyMaterialGuard.rows(values), 0, values.size(), false, null);
    }

    @Override
    public HostTable page(String handle, long offset, int limit) throws SQLException {
      Kept kept;
      synchronized (handles) {
        kept = handles.get(handle);
      }
      if (kept == null) {
        throw new IllegalArgumentException(
            "this table is no longer kept (a notebook keeps its "
                + KEPT_JAVA_TABLES
                + " newest sql() results); call sql(...) again");
      }
      return page(
          handle,
          kept.table(),
          offset,
          Math.max(1, Math.min(limit, ResultPages.MAX_READ_ROWS)),
          kept.size(),
          false,
          null);
    }

    record Kept(ResultTable table, long size) {}

    @Override
    public CellOutput.Table show(String handle) throws SQLException {
      Kept kept;
      synchronized (handles) {
        kept = handles.get(handle);
      }
      if (kept == null) {
        throw new IllegalArgumentException(
            "this table is no longer kept (a notebook keeps its "
                + KEPT_JAVA_TABLES
                + " newest sql() results); call sql(...) again");
      }
      HostTable first =
          page(
              handle,
              kept.table(),
              0,
              resources.settings().firstPageRows(),
              kept.size(),
              false,
              null);
      shown = new Kept(kept.table(), first.size());
      return new CellOutput.Table(first.columns(), first.rows(), first.size());
    }

    private HostTable page(
        String handle,
        ResultTable table,
        long offset,
        int limit,
        long size,
        boolean truncated,
        String note)
        throws SQLException {
      ResultPage page = sql.page(table, offset, limit, limits.timeout());
      long rows = size >= 0 ? size : page.totalRows();
      List<List<Object>> kept = page.rows();
      if (offset + kept.size() > rows) {
        kept = kept.subList(0, (int) Math.max(0, rows - offset));
      }
      return new HostTable(
          handle, page.columns(), KeyMaterialGuard.rows(kept), offset, rows, truncated, note);
    }
  }

  static String stackOf(Throwable t) {
    java.io.StringWriter sw = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(sw));
    return sw.toString();
  }

  private void closeKernels() {
    if (java != null) {
      java.close();
      java = null;
    }
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing is best effort; the database goes with it
      }
      connection = null;
    }
    sql = null;
    NotebookDatabase db = database;
    database = null;
    if (db != null) {
      db.close();
    }
    openedWith = null;
  }

  @Override
  public void close() {
    closeKernels();
  }
}
