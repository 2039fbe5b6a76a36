package dev.tracefix.server.cli;

import dev.tracefix.capture.FileModes;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.llm.AuditStore;
import dev.tracefix.server.llm.HypothesisCellRunner;
import dev.tracefix.server.minimize.MinimizeCellRunner;
import dev.tracefix.server.patch.PatchCellRunner;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.server.run.HeadlessRunner;
import dev.tracefix.server.run.KernelSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Assembles a notebook workspace over an event store, the same way for serve, run and demo. The
 * commands open the store first (schema, spool recovery, retention) and close it before notebooks
 * run: each notebook attaches it read-only in a database of its own.
 */
final class Workbench {
  private Workbench() {}

  /** Whether notebooks' SQL is locked ({@link SqlLock}); only {@code serve --unlocked} opens it. */
  enum Access {
    LOCKED,
    UNLOCKED
  }

  /** The action cells' runners; ask cells record their model requests in {@code audit}. */
  static Map<String, ActionCellRunner> actionRunners(AuditStore audit) {
    return Map.of(
        "minimize",
        new MinimizeCellRunner(),
        "bisect",
        new BisectCellRunner(),
        "patch",
        new PatchCellRunner(),
        "ask",
        new HypothesisCellRunner(() -> KeyStore.current(KeyStoreLocation.defaultDir()), audit));
  }

  /**
   * Runs notebooks headless over the store in {@code dbFile}, locked; the store must be closed
   * (notebooks attach it read-only, see {@link NotebookDatabases}).
   */
  static HeadlessRunner headless(Path dbFile, PrintStream out) {
    return new HeadlessRunner(
        notebookDatabases(dbFile, Access.LOCKED),
        ProjectPaths.home(),
        actionRunners(AuditStore.beside(dbFile)),
        KernelSettings.DEFAULTS,
        out);
  }

  static FileNotebookWorkspace workspace(
      Path notebooksDir, NotebookDatabases databases, Path projectDir, Limits defaults) {
    return new FileNotebookWorkspace(
        notebooksDir,
        databases,
        projectDir,
        actionRunners(
            databases.storeFile() != null
                ? AuditStore.beside(databases.storeFile())
                : new AuditStore(notebooksDir.resolve("llm-audit.duckdb"))),
        KernelSettings.DEFAULTS.withDefaults(defaults));
  }

  /**
   * The databases notebooks run on: one per notebook, the store in {@code dbFile} attached
   * read-only. Locked, each is locked ({@link SqlLock}) and its connections guarded; SQL cells may
   * use files only in the store folder's {@code exports/}, created owner-only so no other user (a
   * Java snippet's) can plant files there. Not the store folder itself: the store, its spool and,
   * where the store sits beside it, the key store live there.
   */
  static NotebookDatabases notebookDatabases(Path dbFile, Access access) {
    if (access == Access.UNLOCKED) {
      return NotebookDatabases.unlocked(dbFile);
    }
    Path exports = exportsDir(dbFile);
    Path keys = KeyStoreLocation.defaultDir().toAbsolutePath().normalize();
    if (keys.startsWith(exports) || exports.startsWith(keys)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "the notebooks' file folder "
              + exports
              + " and the key store "
              + keys
              + " overlap; keep the event store outside the key store");
    }
    try {
      if (!Files.isDirectory(exports)) {
        // 0700, or 0750 when the user asked for group read: like every folder tracefix writes.
        Files.createDirectories(exports, FileModes.active().directoryAttribute());
      }
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "cannot create the notebooks' exports folder " + exports + ": " + e,
          e);
    }
    return NotebookDatabases.locked(dbFile, new SqlLock(List.of(exports)));
  }

  /** The store folder's {@code exports/}: the one folder locked SQL cells may read and write. */
  static Path exportsDir(Path dbFile) {
    return dbFile.toAbsolutePath().normalize().resolveSibling("exports");
  }
}
