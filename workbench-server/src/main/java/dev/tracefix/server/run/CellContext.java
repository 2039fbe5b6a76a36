package dev.tracefix.server.run;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;

/** What a running cell may use: the notebook's database, earlier named results, a work area. */
public interface CellContext {
  /** The folder holding the notebook file; relative paths in cell bodies resolve against it. */
  Path notebookDir();

  /** The repository root the notebook belongs to (where {@code examples/} lives), if known. */
  Path projectDir();

  /** A scratch folder owned by this notebook run (work trees, repro inputs). */
  Path workDir();

  /** The notebook's own DuckDB connection; named SQL results are visible to it as views/tables. */
  Connection sql();

  /** The output of an earlier cell with {@code name=...}, if it ran. */
  Optional<CellOutput> result(String name);

  /**
   * Reports progress of long work (one line); shown in the UI and printed by the headless runner.
   */
  void progress(String line);

  /**
   * Fires when someone stops the running cell (the notebook's interrupt); action cells hand it to
   * the fix loop, which kills the repro it is running.
   */
  Cancellation cancellation();
}
