package dev.tracefix.server.http;

import dev.tracefix.server.capture.LiveCaptures;
import dev.tracefix.server.kernel.sql.AttachedCaptures;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.run.FileNotebookWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workbench that captures, as {@code serve} builds it: a store attached read-only to locked
 * notebook databases, live captures beside it (at most 30 s), the project's policy, and a child
 * process that runs a few processes, files and syscalls a second for captures to watch. Its
 * notebook reads the first live capture's events and the second's JVM events.
 */
final class LiveCaptureFixture implements AutoCloseable {
  static final String NOTEBOOK = "live.md";

  final Path notebooksDir;

  /** Where the live captures' store files go. */
  final Path liveFolder;

  final FileNotebookWorkspace workspace;
  final LiveCaptures captures;
  final WorkbenchServer server;
  final Process child;

  LiveCaptureFixture(Path dir) throws Exception {
    notebooksDir = Files.createDirectories(dir.resolve("notebooks"));
    Files.writeString(
        notebooksDir.resolve(NOTEBOOK),
        """
        # Live

        ```sql name=before
        select 1 as one
        ```

        ```sql name=first
        select count(*) as n from live_1.events
        ```

        ```sql name=jvmtypes
        select type, count(*) as n, min(capture_id) as capture from live_2.jvm_events
        group by type order by type
        ```

        ```sql name=jvmservice
        with workers as (select thread_token from live_2.jvm_events
          where type = 'jdk.JavaExceptionThrow' and message like 'lookup failed for %')
        select
          count(*) filter (where type = 'jdk.JavaExceptionThrow'
            and message like 'lookup failed for %') as thrown,
          count(*) filter (where type = 'jdk.SocketWrite' and bytes between 1001 and 1003) as writes,
          count(*) filter (where type = 'jdk.ThreadPark'
            and object_class = 'AttachService$Pause') as parks,
          (select count(distinct thread_token) from live_2.events
            where thread_token in (select thread_token from workers)) as with_kernel_rows
        from live_2.jvm_events
        where thread_token in (select thread_token from workers)
        ```
        """);
    Path store = dir.resolve("store").resolve("trace.duckdb");
    Files.createDirectories(store.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store);
        Statement s = c.createStatement()) {
      s.execute("create table seeded(x integer)");
    }
    liveFolder = store.resolveSibling("live");
    AttachedCaptures attached = new AttachedCaptures(liveFolder);
    NotebookDatabases databases =
        NotebookDatabases.locked(
                store,
                new SqlLock(List.of(Files.createDirectories(store.resolveSibling("exports")))))
            .withLiveCaptures(attached);
    workspace = new FileNotebookWorkspace(notebooksDir, databases, dir, Map.of());
    Path policy = Path.of("..", "policies", "default.yaml").toAbsolutePath().normalize();
    captures =
        new LiveCaptures(
            attached, Files.isRegularFile(policy) ? policy : null, dir.resolve("keys"), 30);
    server = WorkbenchServer.start(workspace, 0, WorkbenchFixture.TOKEN, null, Set.of(), captures);
    child =
        new ProcessBuilder(
                "sh", "-c", "while :; do head -c 16 /etc/hostname > /dev/null; sleep 0.02; done")
            .start();
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() throws Exception {
    child.destroyForcibly();
    captures.close();
    server.close();
    workspace.close();
  }
}
