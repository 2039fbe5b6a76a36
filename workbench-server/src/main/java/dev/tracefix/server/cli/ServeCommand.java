package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.capture.LiveCaptures;
import dev.tracefix.server.http.WorkbenchServer;
import dev.tracefix.server.kernel.java.JavaKernel;
import dev.tracefix.server.kernel.sql.AttachedCaptures;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.limits.LimitException;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.llm.AuditStore;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the notebook workbench on 127.0.0.1; prints the URL with its access token.",
      "Every notebook gets a DuckDB database and a Java VM of its own, bounded by limits: the"
          + " defaults printed at start, --limit to change them, a notebook's front matter"
          + " ('limits:') and a cell's fence (```sql timeout=30s max_rows=100000```) for its own."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--db",
      description = "DuckDB file to query (default: .tracefix/workbench.duckdb)")
  Path db;

  @Option(names = "--notebooks", description = "folder of notebooks (default: notebooks/)")
  Path notebooks;

  @Option(
      names = "--port",
      defaultValue = "7420",
      description = "port, 0 for any (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--unlocked",
      description = {
        "let SQL cells read and write any file this process can, load extensions and change"
            + " their notebook's settings (default: locked to the store's exports/ folder)"
      })
  boolean unlocked;

  @Option(
      names = "--limit",
      paramLabel = "NAME=VALUE",
      description = {
        "a default limit for every notebook (repeatable): timeout, max_rows, max_bytes, memory,"
            + " threads, java_heap, java_cpu; e.g. --limit memory=4GB --limit timeout=10m"
      })
  Map<String, String> limits = new LinkedHashMap<>();

  @Option(
      names = "--capture-max-seconds",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = {
        "the longest live capture the page may start (default: ${DEFAULT-VALUE}); 0 turns live"
            + " capture off. Live capture needs root (CAP_BPF, CAP_PERFMON); it applies the same"
            + " policy and key store as 'tracefix capture' and writes the store folder's live/"
      })
  int captureMaxSeconds = 300;

  @Override
  public Integer call() throws Exception {
    Path dbFile = db == null ? ProjectPaths.defaultDb() : db;
    Path dir = notebooks == null ? ProjectPaths.notebooks() : notebooks;
    if (!Files.isDirectory(dir)) {
      throw new ServerException(
          ServerException.Kind.INVALID, "no notebooks folder at " + dir + "; pass --notebooks DIR");
    }
    Limits defaults;
    try {
      defaults = Limits.defaults().with(limits);
    } catch (LimitException e) {
      throw new ServerException(ServerException.Kind.INVALID, "--limit " + e.getMessage());
    }
    Files.createDirectories(dbFile.toAbsolutePath().getParent());
    // Opened once for its schema, spool recovery and retention (printed), then closed: notebooks
    // attach the file read-only, which DuckDB refuses while this process holds it writable.
    try (EventStore store = Stores.openApplyingRetention(dbFile, System.err)) {
      dbFile = store.dbFile();
    }
    if (unlocked) {
      System.err.println(
          "tracefix: WARNING: --unlocked: SQL cells can read and write any file this process"
              + " can (as "
              + System.getProperty("user.name")
              + ") and load extensions");
    }
    serve(
        dbFile,
        dir,
        port,
        null,
        unlocked ? Workbench.Access.UNLOCKED : Workbench.Access.LOCKED,
        defaults,
        captureMaxSeconds);
    return 0;
  }

  /**
   * Serves until the process is interrupted (Ctrl-C); shared with the demo. The store in {@code
   * dbFile} must be closed. The shutdown hook waits until the workspace has closed, so snippet VMs
   * and work folders go with the server rather than being cut off when the JVM halts.
   */
  static void serve(
      Path dbFile,
      Path notebooksDir,
      int port,
      String openNotebook,
      Workbench.Access access,
      Limits defaults,
      int captureMaxSeconds)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopped.countDown();
                  try {
                    closed.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    // Live captures write files of their own beside the store; notebooks attach each once stored.
    AttachedCaptures attached =
        new AttachedCaptures(dbFile.toAbsolutePath().resolveSibling("live"));
    LiveCaptures captures =
        captureMaxSeconds <= 0
            ? null
            : new LiveCaptures(
                attached,
                ProjectPaths.defaultPolicy(),
                KeyStoreLocation.defaultDir(),
                captureMaxSeconds);
    NotebookDatabases databases =
        Workbench.notebookDatabases(dbFile, access).withLiveCaptures(attached);
    try (FileNotebookWorkspace workspace =
            Workbench.workspace(notebooksDir, databases, ProjectPaths.home(), defaults);
        WorkbenchServer server =
            WorkbenchServer.start(
                workspace,
                port,
                null,
                new NotebookReports(
                    workspace,
                    databases::connect,
                    AuditStore.beside(dbFile),
                    () -> KeyStore.current(KeyStoreLocation.defaultDir())),
                java.util.Set.of(),
                captures)) {
      workspace.addProgressListener(server.progressListener());
      String url = server.url();
      if (openNotebook != null) {
        url = url + "#/notebook/" + openNotebook;
      }
      System.out.println("tracefix workbench is serving " + notebooksDir);
      System.out.println(limitsLine(defaults));
      System.out.println("open: " + url);
      System.out.println("(Ctrl-C stops it)");
      stopped.await();
    } finally {
      if (captures != null) {
        captures.close(); // a running capture drains and closes its file first
      }
      closed.countDown();
    }
  }

  /** The one line that says what bounds every notebook and where to change it. */
  static String limitsLine(Limits defaults) {
    return "limits per notebook: "
        + defaults.line()
        + " (change: --limit NAME=VALUE; a notebook's front matter 'limits:'; timeout, max_rows,"
        + " max_bytes also on a cell's fence; java_cpu: "
        + JavaKernel.cpuLimitAvailability()
        + ")";
  }
}
