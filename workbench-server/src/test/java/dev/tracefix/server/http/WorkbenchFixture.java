package dev.tracefix.server.http;

import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.server.run.KernelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A real workbench for tests: notebook fixtures from {@code src/test/resources/http/} copied into a
 * temporary folder, a DuckDB file with a small {@code retransmits} table (closed once seeded: every
 * notebook attaches it read-only in a database of its own), the file-backed workspace over both,
 * and a {@link WorkbenchServer} on 127.0.0.1 port 0.
 */
final class WorkbenchFixture implements AutoCloseable {
  static final String TOKEN = "test-token_0123456789";
  static final String[] NOTEBOOKS = {"retransmits.md", "broken.md", "failing-cell.md"};

  final Path notebooksDir;
  final Path storeFile;
  final FileNotebookWorkspace workspace;
  final WorkbenchServer server;

  WorkbenchFixture(Path tempDir) throws Exception {
    this(tempDir, KernelSettings.DEFAULTS);
  }

  WorkbenchFixture(Path tempDir, KernelSettings settings) throws Exception {
    this(tempDir, settings, false);
  }

  /**
   * @param locked notebooks' SQL locked as {@code serve} locks it (files only in exports/)
   */
  WorkbenchFixture(Path tempDir, KernelSettings settings, boolean locked) throws Exception {
    this(tempDir, settings, locked, WorkbenchFixture::seed, Map.of());
  }

  /** What a test puts in the store before the workbench attaches it read-only. */
  interface StoreSeed {
    void seed(Connection store) throws SQLException;
  }

  /** A workbench over a store that {@code seed} fills (e.g. events with the store's schema). */
  WorkbenchFixture(Path tempDir, StoreSeed seed) throws Exception {
    this(tempDir, KernelSettings.DEFAULTS, false, seed, Map.of());
  }

  /** A workbench whose action cells (minimize, bisect, patch) run with {@code runners}. */
  WorkbenchFixture(Path tempDir, Map<String, ActionCellRunner> runners) throws Exception {
    this(tempDir, WorkbenchFixture::seed, runners);
  }

  /** Both: a store {@code seed} fills, and action cells run with {@code runners}. */
  WorkbenchFixture(Path tempDir, StoreSeed seed, Map<String, ActionCellRunner> runners)
      throws Exception {
    this(tempDir, KernelSettings.DEFAULTS, false, seed, runners);
  }

  private WorkbenchFixture(
      Path tempDir,
      KernelSettings settings,
      boolean locked,
      StoreSeed seed,
      Map<String, ActionCellRunner> runners)
      throws Exception {
    notebooksDir = Files.createDirectories(tempDir.resolve("notebooks"));
    for (String name : NOTEBOOKS) {
      try (InputStream in = WorkbenchFixture.class.getResourceAsStream("/http/" + name)) {
        if (in == null) {
          throw new IllegalStateException("missing test fixture /http/" + name);
        }
        Files.copy(in, notebooksDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    storeFile = tempDir.resolve("trace.duckdb");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + storeFile)) {
      seed.seed(db);
    }
    NotebookDatabases databases =
        locked
            ? NotebookDatabases.locked(
                storeFile,
                new SqlLock(List.of(Files.createDirectories(tempDir.resolve("exports")))))
            : NotebookDatabases.unlocked(storeFile);
    workspace = new FileNotebookWorkspace(notebooksDir, databases, tempDir, runners, settings);
    server = WorkbenchServer.start(workspace, 0, TOKEN);
    workspace.addProgressListener(server.progressListener());
  }

  /** Redacted-looking events: peers are tokens, never addresses. */
  private static void seed(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("create table retransmits(ts bigint, peer varchar, bytes integer)");
      s.execute(
          "insert into retransmits values"
              + " (1, 'peer-7f3a', 1200), (2, 'peer-7f3a', 800), (3, 'peer-b2e4', 64),"
              + " (4, 'peer-7f3a', 1500), (5, 'peer-19c0', 40), (6, 'peer-b2e4', 512)");
    }
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  String notebookText(String name) {
    try {
      return Files.readString(notebooksDir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    try (workspace) {
      server.close();
    }
  }
}
