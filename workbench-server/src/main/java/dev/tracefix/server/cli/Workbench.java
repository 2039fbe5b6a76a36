package dev.tracefix.server.cli;

import dev.tracefix.capture.FileModes;
import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.capture.redact.KeyStore;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.llm.HypothesisCellRunner;
import dev.tracefix.server.minimize.MinimizeCellRunner;
import dev.tracefix.server.patch.PatchCellRunner;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.ConnectionFactory;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.server.run.HeadlessRunner;
import dev.tracefix.server.run.KernelSettings;
import dev.tracefix.sink.EventStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Assembles a notebook workspace over an event store, the same way for serve, run and demo. */
final class Workbench {
  private Workbench() {}

  /** Whether notebooks' SQL is locked ({@link SqlLock}); only {@code serve --unlocked} opens it. */
  enum Access {
    LOCKED,
    UNLOCKED
  }

  static Map<String, ActionCellRunner> actionRunners() {
    return Map.of(
        "minimize", new MinimizeCellRunner(),
        "bisect", new BisectCellRunner(),
        "patch", new PatchCellRunner(),
        "ask", new HypothesisCellRunner(() -> KeyStore.current(KeyStoreLocation.defaultDir())));
  }

  static HeadlessRunner headless(EventStore store, PrintStream out) {
    return new HeadlessRunner(
        notebookConnections(store, Access.LOCKED),
        ProjectPaths.home(),
        actionRunners(),
        KernelSettings.DEFAULTS,
        out);
  }

  static FileNotebookWorkspace workspace(
      Path notebooksDir, EventStore store, Path projectDir, Access access) {
    return new FileNotebookWorkspace(
        notebooksDir, notebookConnections(store, access), projectDir, actionRunners());
  }

  /**
   * Where notebooks' connections come from. Locked, the store's database is locked now (for this
   * process: the CLI's own connections here only query and delete) and each connection is
   * guarded; SQL cells may use files only in the store folder's {@code exports/}, created
   * owner-only so no other user (a Java snippet's) can plant files there. Not the store folder
   * itself: the store, its spool and, where the store sits beside it, the key store live there.
   */
  static ConnectionFactory notebookConnections(EventStore store, Access access) {
    if (access == Access.UNLOCKED) {
      return store::connect;
    }
    Path exports = exportsDir(store);
    Path keys = KeyStoreLocation.defaultDir().toAbsolutePath().normalize();
    if (keys.startsWith(exports) || exports.startsWith(keys)) {
      throw new CliException(
          "the notebooks' file folder " + exports + " and the key store " + keys
              + " overlap; keep the event store outside the key store");
    }
    SqlLock lock = new SqlLock(List.of(exports));
    try {
      if (!Files.isDirectory(exports)) {
        // 0700, or 0750 when the user asked for group read: like every folder tracefix writes.
        Files.createDirectories(exports, FileModes.active().directoryAttribute());
      }
      try (Connection connection = store.connect()) {
        lock.apply(connection);
      }
    } catch (IOException | SQLException e) {
      throw new CliException(
          "cannot lock the notebook database " + store.dbFile() + ": " + e.getMessage(), e);
    }
    return () -> lock.guard(store.connect());
  }

  static Path exportsDir(EventStore store) {
    return store.dbFile().toAbsolutePath().normalize().resolveSibling("exports");
  }
}
