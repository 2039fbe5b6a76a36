package dev.tracefix.server.cli;

import dev.tracefix.capture.redact.KeyStore;
import dev.tracefix.server.http.WorkbenchServer;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the notebook workbench on 127.0.0.1; prints the URL with its access token.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--db", description = "DuckDB file to query (default: .tracefix/workbench.duckdb)")
  Path db;

  @Option(names = "--notebooks", description = "folder of notebooks (default: notebooks/)")
  Path notebooks;

  @Option(names = "--port", defaultValue = "7420", description = "port, 0 for any (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--unlocked",
      description = {
        "let SQL cells read and write any file this process can, load extensions and change"
            + " settings (default: locked to the store's exports/ folder)"
      })
  boolean unlocked;

  @Override
  public Integer call() throws Exception {
    Path dbFile = db == null ? ProjectPaths.defaultDb() : db;
    Path dir = notebooks == null ? ProjectPaths.notebooks() : notebooks;
    if (!Files.isDirectory(dir)) {
      throw new CliException("no notebooks folder at " + dir + "; pass --notebooks DIR");
    }
    Files.createDirectories(dbFile.toAbsolutePath().getParent());
    try (EventStore store = Stores.openApplyingRetention(dbFile, System.err)) {
      if (unlocked) {
        System.err.println(
            "tracefix: WARNING: --unlocked: SQL cells can read and write any file this process"
                + " can (as " + System.getProperty("user.name") + "), load extensions and change"
                + " settings for every notebook");
      }
      serve(store, dir, port, null, unlocked ? Workbench.Access.UNLOCKED : Workbench.Access.LOCKED);
    }
    return 0;
  }

  /**
   * Serves until the process is interrupted (Ctrl-C); shared with the demo. The shutdown hook
   * waits until the workspace has closed, so snippet VMs and work folders go with the server
   * rather than being cut off when the JVM halts.
   */
  static void serve(
      EventStore store, Path notebooksDir, int port, String openNotebook, Workbench.Access access)
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
    try (FileNotebookWorkspace workspace =
            Workbench.workspace(notebooksDir, store, ProjectPaths.home(), access);
        WorkbenchServer server =
            WorkbenchServer.start(
                workspace,
                port,
                null,
                new NotebookReports(
                    workspace,
                    store::connect,
                    () -> KeyStore.current(KeyStoreLocation.defaultDir())))) {
      workspace.addProgressListener(server.progressListener());
      String url = server.url();
      if (openNotebook != null) {
        url = url + "#/notebook/" + openNotebook;
      }
      System.out.println("tracefix workbench is serving " + notebooksDir);
      System.out.println("open: " + url);
      System.out.println("(Ctrl-C stops it)");
      stopped.await();
    } finally {
      closed.countDown();
    }
  }
}
