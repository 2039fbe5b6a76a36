package dev.tracefix.server.run;

import dev.tracefix.capture.FileModes;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.ResultPage;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.CellKind;
import dev.tracefix.server.notebook.IpynbExporter;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookEdits;
import dev.tracefix.server.notebook.NotebookParser;
import dev.tracefix.server.notebook.SavedQueryCell;
import dev.tracefix.server.query.SavedQueries;
import dev.tracefix.server.query.SavedQuery;
import dev.tracefix.server.share.NotebookGit;
import dev.tracefix.server.share.Revision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Notebooks stored as Markdown files under one folder, each with a live session once opened. The
 * file is the source of truth: every call re-reads it, so edits made in an editor or by git show up
 * (changed cells and their dependents become stale).
 */
public final class FileNotebookWorkspace implements NotebookWorkspace, AutoCloseable {

  private final Path notebooksDir;
  private final NotebookDatabases databases;
  private final Path projectDir;
  private final Map<String, ActionCellRunner> actionRunners;
  private final KernelSettings settings;
  private final Map<String, NotebookSession> sessions = new ConcurrentHashMap<>();
  private final List<Path> workDirs = new CopyOnWriteArrayList<>();
  private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
  private final WorkspaceCounters counters = new WorkspaceCounters();

  /**
   * @param databases opens each notebook's own DuckDB database (the store attached read-only)
   */
  public FileNotebookWorkspace(
      Path notebooksDir,
      NotebookDatabases databases,
      Path projectDir,
      Map<String, ActionCellRunner> actionRunners) {
    this(notebooksDir, databases, projectDir, actionRunners, KernelSettings.DEFAULTS);
  }

  public FileNotebookWorkspace(
      Path notebooksDir,
      NotebookDatabases databases,
      Path projectDir,
      Map<String, ActionCellRunner> actionRunners,
      KernelSettings settings) {
    this.notebooksDir = notebooksDir.toAbsolutePath().normalize();
    this.databases = databases;
    this.projectDir = projectDir == null ? null : projectDir.toAbsolutePath().normalize();
    this.actionRunners = Map.copyOf(actionRunners);
    this.settings = settings;
  }

  /** Progress lines of running cells go to every listener added here. */
  public void addProgressListener(ProgressListener listener) {
    listeners.add(listener);
  }

  /**
   * Every {@code .md} file under the folder, sorted by name. A malformed file is still listed (its
   * cell count is -1) so the UI can show it and open() can report the line that is wrong.
   */
  @Override
  public List<NotebookSummary> list() {
    if (!Files.isDirectory(notebooksDir)) {
      return List.of();
    }
    List<NotebookSummary> summaries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(notebooksDir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        String name = nameOf(file);
        try {
          Notebook nb = NotebookParser.parse(name, read(file, name));
          summaries.add(new NotebookSummary(name, nb.title().orElse(name), nb.cells().size()));
        } catch (ServerException e) {
          summaries.add(new NotebookSummary(name, name, -1));
        }
      }
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot list notebooks in " + notebooksDir + ": " + e, e);
    }
    return summaries;
  }

  @Override
  public NotebookView open(String name) {
    return session(name).view(); // never waits for a running cell
  }

  @Override
  public CellOutput runCell(String name, String cellId) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      return session.run(cell(session, name, cellId));
    }
  }

  @Override
  public NotebookView runAll(String name) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      for (Cell cell : session.notebook().cells()) {
        session.run(cell);
      }
      return session.view();
    }
  }

  @Override
  public NotebookView runStale(String name) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      session.runStale();
      return session.view();
    }
  }

  @Override
  public ResultPage page(
      String name,
      String cellId,
      long offset,
      int limit,
      Optional<String> sort,
      boolean descending) {
    return session(name).page(cellId, offset, limit, sort, descending); // never waits for a cell
  }

  @Override
  public <T> T readSelection(String name, Optional<String> cellId, SelectionReader<T> reader) {
    return session(name).readSelection(cellId, reader); // never waits for a cell
  }

  @Override
  public NotebookView setChart(
      String name, String cellId, dev.tracefix.server.views.chart.ChartSpec chart) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      Notebook notebook = session.notebook();
      if (notebook.cell(cellId).map(c -> c.kind() != CellKind.SQL).orElse(false)) {
        throw new ServerException(
            ServerException.Kind.INVALID,
            name + ": only SQL cells draw charts; '" + cellId + "' is not one");
      }
      Notebook edited =
          notebook.withCellAttributes(
              cellId,
              chart == null
                  ? dev.tracefix.server.views.chart.ChartSpec.removal()
                  : chart.attributes());
      write(resolve(name), name, edited.text());
      session.replace(edited);
      session.redrawChart(cellId);
      return session.view();
    }
  }

  @Override
  public NotebookView reviewPatch(
      String name, String cellId, dev.tracefix.server.notebook.PatchReview.Decision decision) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      Cell cell = cell(session, name, cellId);
      if (cell.kind() != CellKind.PATCH) {
        throw new ServerException(
            ServerException.Kind.INVALID,
            name
                + ": '"
                + cellId
                + "' is a "
                + cell.kind().word()
                + " cell; only patch cells are reviewed");
      }
      String source =
          dev.tracefix.server.notebook.PatchReview.withDecision(cell.source(), decision);
      Notebook edited = session.notebook().withCellSource(cellId, source);
      write(resolve(name), name, edited.text());
      session.replace(edited);
      if (decision == dev.tracefix.server.notebook.PatchReview.Decision.ACCEPT) {
        session.run(cell(session, name, cellId));
      }
      return session.view();
    }
  }

  @Override
  public WorkspaceStats stats() {
    int running = 0;
    int vms = 0;
    int dbs = 0;
    for (NotebookSession session : sessions.values()) {
      running += session.runningCell().isPresent() ? 1 : 0;
      vms += session.javaVmRunning() ? 1 : 0;
      dbs += session.databaseOpen() ? 1 : 0;
    }
    return new WorkspaceStats(
        sessions.size(),
        running,
        vms,
        dbs,
        counters.cellsRun.get(),
        counters.limitErrors.get(),
        counters.kernelRestarts.get());
  }

  /** The limits a notebook runs with: the server's defaults, its front matter's on top. */
  public dev.tracefix.server.limits.Limits limits(String name) {
    return session(name).limits();
  }

  @Override
  public NotebookView updateCell(String name, String cellId, String source, String base) {
    NotebookSession session = session(name); // the file as it is on disk now
    synchronized (session.lock) {
      if (base != null) {
        String now = session.notebook().cell(cellId).map(Cell::source).orElse(null);
        if (now != null && !now.equals(base) && !now.equals(source)) {
          throw new CellEditConflict(name, cellId, now, source);
        }
      }
      Notebook edited = session.notebook().withCellSource(cellId, source);
      write(resolve(name), name, edited.text());
      session.replace(edited);
      return session.view();
    }
  }

  @Override
  public dev.tracefix.server.kernel.sql.SqlCatalog catalog(String name) {
    return session(name).catalog(); // never waits for a running cell
  }

  @Override
  public dev.tracefix.server.kernel.sql.ColumnSummary summary(
      String name, String cellId, String column) {
    return session(name).summary(cellId, column);
  }

  @Override
  public long writeCsv(
      String name, String cellId, Optional<String> sort, boolean descending, java.io.Writer out) {
    return session(name).writeCsv(cellId, sort, descending, out);
  }

  @Override
  public long writeParquet(
      String name,
      String cellId,
      Optional<String> sort,
      boolean descending,
      java.io.OutputStream out) {
    return session(name).writeParquet(cellId, sort, descending, out);
  }

  @Override
  public NotebookView restart(String name) {
    NotebookSession session = session(name);
    session.restart();
    counters.kernelRestarts.incrementAndGet();
    return session.view();
  }

  @Override
  public NotebookView edit(String name, BlockEdit edit) {
    if (edit == null || edit.op() == null) {
      throw new ServerException(ServerException.Kind.INVALID, "an edit needs an op");
    }
    NotebookSession session = session(name);
    synchronized (session.lock) {
      Notebook nb = session.notebook();
      Notebook edited =
          switch (edit.op()) {
            case "insert" ->
                NotebookEdits.insert(
                    nb,
                    edit.index(),
                    required(edit.kind(), "kind"),
                    nullToEmpty(edit.source()),
                    edit.id());
            case "delete" -> NotebookEdits.delete(nb, edit.index());
            case "convert" ->
                NotebookEdits.convert(nb, edit.index(), required(edit.kind(), "kind"));
            case "prose" -> NotebookEdits.setProse(nb, edit.index(), nullToEmpty(edit.source()));
            default ->
                throw new ServerException(
                    ServerException.Kind.INVALID,
                    "unknown edit '" + edit.op() + "' (insert, delete, convert, prose)");
          };
      write(resolve(name), name, edited.text());
      session.replace(edited);
      return session.view();
    }
  }

  @Override
  public NotebookView create(String name, String template) {
    Path file = confined(name);
    String text =
        template == null || template.isBlank()
            ? "# "
                + file.getFileName().toString().replaceFirst("\\.md$", "")
                + "\n\n```sql id=first\nSELECT 42 AS answer\n```\n"
            : read(resolve(template), template);
    NotebookParser.parse(name, text); // a template that does not parse is not copied
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ServerException(
          ServerException.Kind.CONFLICT, name + ": a notebook of that name exists", e);
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot create: " + e, e);
    }
    return open(nameOf(file));
  }

  @Override
  public NotebookSummary rename(String name, String to) {
    Path from = resolve(name);
    Path target = confined(to);
    if (Files.exists(target)) {
      throw new ServerException(
          ServerException.Kind.CONFLICT, to + ": a notebook of that name exists");
    }
    NotebookSession session = sessions.remove(nameOf(from));
    if (session != null) {
      session.cancel();
      synchronized (session.lock) {
        session.close();
      }
    }
    try {
      Files.createDirectories(target.getParent());
      Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot rename: " + e, e);
    }
    Notebook nb = NotebookParser.parse(nameOf(target), read(target, to));
    return new NotebookSummary(
        nameOf(target), nb.title().orElse(nameOf(target)), nb.cells().size());
  }

  /** A new notebook's path: a .md name inside the folder, no climbing out, no hidden files. */
  private Path confined(String name) {
    if (name == null || name.isBlank()) {
      throw new ServerException(ServerException.Kind.INVALID, "no notebook name given");
    }
    Path file = notebooksDir.resolve(name).normalize();
    if (!file.startsWith(notebooksDir)
        || !name.endsWith(".md")
        || name.startsWith("/")
        || file.getFileName().toString().startsWith(".")) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          name + ": a notebook name is a .md file inside " + notebooksDir);
    }
    try {
      Path parent =
          Files.isDirectory(file.getParent()) ? file.getParent().toRealPath() : file.getParent();
      if (!parent.startsWith(notebooksDir.toRealPath())) {
        throw new ServerException(
            ServerException.Kind.INVALID, name + ": links outside " + notebooksDir);
      }
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot resolve: " + e, e);
    }
    return file;
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ServerException(ServerException.Kind.INVALID, "the edit needs a " + what);
    }
    return value;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  @Override
  public List<SavedQuery> savedQueries() {
    return queries().list();
  }

  @Override
  public NotebookView insertSavedQuery(String name, String query) {
    SavedQuery saved = queries().get(query);
    NotebookSession session = session(name);
    synchronized (session.lock) {
      Notebook edited =
          SavedQueryCell.append(
              session.notebook(), saved.name(), saved.title(), saved.sql(), saved.parameters());
      write(resolve(name), name, edited.text());
      session.replace(edited);
      return session.view();
    }
  }

  /** The project's {@code queries/} folder. */
  private SavedQueries queries() {
    Path dir = (projectDir == null ? notebooksDir.getParent() : projectDir).resolve("queries");
    return new SavedQueries(dir);
  }

  @Override
  public NotebookView setParameters(String name, Map<String, String> values) {
    NotebookSession session = session(name);
    session.setParameters(values);
    return session.view();
  }

  @Override
  public Optional<Revision> save(String name, String message) {
    Path file = resolve(name);
    String text = message == null || message.isBlank() ? "Update " + nameOf(file) : message.strip();
    return git().save(file, text);
  }

  @Override
  public List<Revision> history(String name) {
    Path file = resolve(name);
    return git().history(file);
  }

  @Override
  public String diff(String name, String from, String to) {
    Path file = resolve(name);
    return git().diff(file, from, to);
  }

  @Override
  public NotebookView openAt(String name, String revision) {
    Path file = resolve(name);
    String key = nameOf(file);
    Notebook then = NotebookParser.parse(key, git().textAt(file, revision));
    return NotebookSession.viewOf(key, then, Map.of(), java.util.Set.of(), then.parameters());
  }

  private NotebookGit git() {
    return new NotebookGit(notebooksDir);
  }

  /** Stops the SQL statement or Java snippet that a cell of this notebook is running now. */
  @Override
  public void cancel(String name) {
    NotebookSession session = sessions.get(key(name));
    if (session != null) {
      session.cancel();
    }
  }

  @Override
  public String exportIpynb(String name) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      return IpynbExporter.export(session.notebook(), session.outputs());
    }
  }

  /** The outputs of the cells that ran in this notebook's session, by cell id. */
  public Map<String, CellOutput> outputs(String name) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      return session.outputs();
    }
  }

  /** The notebook as parsed from its file now. */
  public Notebook notebook(String name) {
    NotebookSession session = session(name);
    synchronized (session.lock) {
      return session.notebook();
    }
  }

  private Cell cell(NotebookSession session, String name, String cellId) {
    return session
        .notebook()
        .cell(cellId)
        .orElseThrow(
            () ->
                new ServerException(
                    ServerException.Kind.NOT_FOUND, name + ": no cell with id '" + cellId + "'"));
  }

  /** The session for a notebook, created on first use and refreshed from the file each time. */
  private NotebookSession session(String name) {
    Path file = resolve(name);
    String key = nameOf(file);
    Notebook onDisk = NotebookParser.parse(key, read(file, key));
    NotebookSession session =
        sessions.computeIfAbsent(key, k -> new NotebookSession(k, onDisk, resources(k)));
    if (!session.notebook().text().equals(onDisk.text())) {
      session.replace(onDisk);
    }
    return session;
  }

  private SessionResources resources(String name) {
    Path workDir;
    try {
      workDir =
          Files.createTempDirectory("tracefix-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot create a work folder for " + name + ": " + e, e);
    }
    workDirs.add(workDir);
    ProgressListener fanOut =
        (notebook, cellId, line) -> listeners.forEach(l -> l.progress(notebook, cellId, line));
    return new SessionResources(
        databases,
        resolve(name).getParent(),
        projectDir,
        workDir,
        actionRunners,
        settings,
        fanOut,
        counters);
  }

  private Path resolve(String name) {
    if (name == null || name.isBlank()) {
      throw new ServerException(ServerException.Kind.NOT_FOUND, "no notebook name given");
    }
    Path file = notebooksDir.resolve(name).normalize();
    if (!file.startsWith(notebooksDir) || !file.toString().endsWith(".md")) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND,
          name + ": not a notebook (.md file) inside " + notebooksDir);
    }
    if (!Files.isRegularFile(file)) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND, name + ": no such notebook in " + notebooksDir);
    }
    // A symlink inside the folder may point anywhere: what it reaches must be inside too.
    try {
      if (!file.toRealPath().startsWith(notebooksDir.toRealPath())) {
        throw new ServerException(
            ServerException.Kind.NOT_FOUND,
            name + ": links outside " + notebooksDir + "; only notebooks inside it are served");
      }
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot resolve: " + e, e);
    }
    return file;
  }

  private String key(String name) {
    return notebooksDir
        .relativize(notebooksDir.resolve(name).normalize())
        .toString()
        .replace('\\', '/');
  }

  private String nameOf(Path file) {
    return notebooksDir.relativize(file).toString().replace('\\', '/');
  }

  private static String read(Path file, String name) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot read: " + e, e);
    }
  }

  /** Writes through a temp file and a rename, so a crash never leaves half a notebook. */
  private static void write(Path file, String name, String text) {
    try {
      Path temp =
          Files.createTempFile(
              file.getParent(), ".tracefix-", ".md.tmp", FileModes.active().fileAttribute());
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot save: " + e, e);
    }
  }

  @Override
  public void close() {
    for (NotebookSession session : sessions.values()) {
      session.cancel();
      synchronized (session.lock) {
        session.close();
      }
    }
    sessions.clear();
    for (Path dir : workDirs) {
      deleteRecursively(dir);
    }
    workDirs.clear();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a leftover scratch folder in the temp dir is harmless
    }
  }
}
