package dev.tracefix.server.kernel.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where notebooks' SQL runs: every notebook session gets a DuckDB database of its own, in memory,
 * with the event store attached {@code READ_ONLY} as {@code store} ({@link NotebookDatabase}).
 *
 * <p>DuckDB keeps {@code memory_limit}, {@code threads} and its lock settings per database, not per
 * connection: with one shared database, one notebook's {@code SET memory_limit} changed it for all.
 * A database per notebook makes those the notebook's own limits. DuckDB lets any number of
 * databases in one process attach a file read-only, but none while a database holds it writable
 * ("Unique file handle conflict"), so whoever serves notebooks closes its own writable store first:
 * the workbench queries and never writes the store.
 *
 * @param storeFile the event store's DuckDB file, or null for notebooks without one
 * @param lock the lock every notebook database gets, or null for an unlocked workbench
 * @param liveCaptures finished live captures to attach beside the store, or null for none
 */
public record NotebookDatabases(Path storeFile, SqlLock lock, AttachedCaptures liveCaptures) {
  public NotebookDatabases {
    storeFile = storeFile == null ? null : storeFile.toAbsolutePath().normalize();
  }

  public NotebookDatabases(Path storeFile, SqlLock lock) {
    this(storeFile, lock, null);
  }

  /** These databases, also attaching the finished live captures of {@code captures}. */
  public NotebookDatabases withLiveCaptures(AttachedCaptures captures) {
    return new NotebookDatabases(storeFile, lock, captures);
  }

  /** Notebook databases over {@code storeFile}, locked by {@code lock}. */
  public static NotebookDatabases locked(Path storeFile, SqlLock lock) {
    return new NotebookDatabases(storeFile, lock);
  }

  /** Notebook databases over {@code storeFile} that may read and write files, change settings. */
  public static NotebookDatabases unlocked(Path storeFile) {
    return new NotebookDatabases(storeFile, null);
  }

  /**
   * Opens one notebook's database.
   *
   * @param memoryBytes its DuckDB memory_limit
   * @param threads its DuckDB threads
   * @param spillDir where it may spill what does not fit in memory; null: it does not spill
   */
  public NotebookDatabase open(long memoryBytes, int threads, Path spillDir) throws SQLException {
    return NotebookDatabase.open(this, memoryBytes, threads, spillDir);
  }

  /**
   * A connection of a small database of its own, for a short read outside notebooks (a report's
   * capture facts); closing the connection closes that database.
   */
  public Connection connect() throws SQLException {
    NotebookDatabase db = open(256L << 20, 1, null);
    try {
      return db.connectClosingDatabase();
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
  }
}
