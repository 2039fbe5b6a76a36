package dev.tracefix.server.kernel.sql;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * One notebook's DuckDB database: in memory, with its own {@code memory_limit} and {@code threads},
 * spilling to the session's folder, the event store attached {@code READ_ONLY} as {@code store},
 * and, unless the workbench is unlocked, locked ({@link SqlLock}).
 *
 * <p>Its writable catalog holds the notebook's results, so they live in DuckDB rather than in the
 * server's heap and every connection of the notebook reads them (a temp table would be visible to
 * one connection only): schema {@code scratch} holds named results and whatever cells create;
 * {@code tracefix_cells} keeps unnamed cells' results and {@code tracefix_java} the tables Java
 * cells' {@code sql(...)} page through. Connections search {@code scratch}, then the store.
 */
public final class NotebookDatabase implements AutoCloseable {
  public static final String CATALOG = "memory";
  public static final String SCRATCH = "scratch";
  public static final String CELLS = "tracefix_cells";
  public static final String JAVA = "tracefix_java";
  static final String STORE = "store";

  private final DuckDBConnection root;
  private final SqlLock lock;
  private final boolean hasStore;
  private final long memoryBytes;
  private final int threads;
  private final Path spillDir;
  private final AttachedCaptures liveCaptures;
  private final java.util.Set<String> attachedCaptures = new java.util.HashSet<>();

  /** The store file and its identity (device and inode) when attached; null without a store. */
  private Path storeFile;

  private Object storeIdentity;

  private NotebookDatabase(
      DuckDBConnection root,
      SqlLock lock,
      boolean hasStore,
      long memoryBytes,
      int threads,
      Path spillDir,
      AttachedCaptures liveCaptures) {
    this.root = root;
    this.liveCaptures = liveCaptures;
    this.lock = lock;
    this.hasStore = hasStore;
    this.memoryBytes = memoryBytes;
    this.threads = threads;
    this.spillDir = spillDir;
  }

  static NotebookDatabase open(
      NotebookDatabases where, long memoryBytes, int threads, Path spillDir) throws SQLException {
    Properties config = new Properties();
    config.setProperty("memory_limit", (memoryBytes / 1024) + "KiB");
    config.setProperty("threads", Integer.toString(threads));
    if (spillDir != null) {
      try {
        Files.createDirectories(spillDir);
      } catch (java.io.IOException e) {
        throw new SQLException("cannot create the notebook database's spill folder: " + e, e);
      }
      config.setProperty("temp_directory", spillDir.toString());
    } else {
      config.setProperty("temp_directory", "");
    }
    DuckDBConnection root =
        DriverManager.getConnection("jdbc:duckdb:", config).unwrap(DuckDBConnection.class);
    try (Statement s = root.createStatement()) {
      if (where.storeFile() != null) {
        if (!Files.isRegularFile(where.storeFile())) {
          throw new SQLException("no event store at " + where.storeFile());
        }
        s.execute(
            "ATTACH '"
                + where.storeFile().toString().replace("'", "''")
                + "' AS "
                + STORE
                + " (READ_ONLY)");
      }
      for (String schema : new String[] {SCRATCH, CELLS, JAVA}) {
        s.execute("CREATE SCHEMA " + CATALOG + "." + schema);
      }
      if (where.lock() != null) {
        where
            .lock()
            .apply(
                root,
                where.liveCaptures() == null
                    ? java.util.List.of()
                    : java.util.List.of(where.liveCaptures().folder()));
      }
    } catch (SQLException | RuntimeException e) {
      root.close();
      throw e;
    }
    NotebookDatabase db =
        new NotebookDatabase(
            root,
            where.lock(),
            where.storeFile() != null,
            memoryBytes,
            threads,
            spillDir,
            where.liveCaptures());
    if (where.storeFile() != null) {
      db.storeFile = where.storeFile();
      db.storeIdentity = identity(where.storeFile());
    }
    return db;
  }

  /**
   * What happened to the store file since it was attached, if anything: the attachment keeps
   * reading the file it opened, so a store deleted or replaced (a new capture moved over it) would
   * otherwise be queried as it was, silently. Empty while the same file is in place.
   */
  public java.util.Optional<String> storeChange() {
    if (storeFile == null || storeIdentity == null) {
      return java.util.Optional.empty();
    }
    if (!Files.isRegularFile(storeFile)) {
      return java.util.Optional.of(
          "the event store " + storeFile + " was deleted or moved after this notebook attached it");
    }
    Object now = identity(storeFile);
    return now == null || now.equals(storeIdentity)
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            "the event store "
                + storeFile
                + " was replaced by another file after this notebook attached it");
  }

  private static Object identity(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
          .fileKey();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /**
   * A new connection to this database: searching {@code scratch} then the store, and guarded when
   * the database is locked. The caller closes it; the database stays open until {@link #close} and
   * every connection are closed.
   */
  public Connection connect() throws SQLException {
    Connection c = serverConnection();
    return lock == null ? c : lock.guard(c);
  }

  /**
   * A connection for the server's own statements, such as an export's {@code COPY} into {@link
   * #serverFolder}: not guarded, so never handed to a cell. DuckDB's lock still holds for it.
   */
  Connection serverConnection() throws SQLException {
    attachLiveCaptures();
    DuckDBConnection c = root.duplicate().unwrap(DuckDBConnection.class);
    try (Statement s = c.createStatement()) {
      s.execute("USE " + CATALOG + "." + SCRATCH);
      s.execute(
          "SET search_path = '"
              + CATALOG
              + "."
              + SCRATCH
              + (hasStore ? "," + STORE + ".main" : "")
              + "'");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * Attaches the live captures that finished since the last call, read-only ({@link
   * AttachedCaptures}); a session calls it before each SQL cell, since its kernel keeps one
   * connection open.
   */
  public void attachLiveCaptures() throws SQLException {
    if (liveCaptures != null) {
      synchronized (attachedCaptures) {
        liveCaptures.attachNew(root, attachedCaptures);
      }
    }
  }

  /**
   * Where the server may write files through this database: its spill folder. DuckDB lets a
   * database write its own temp folder even when locked, and a cell's statements may not name it
   * ({@link LockedStatements} allows only the allowed folders), so only the server writes there.
   * Empty when the database does not spill.
   */
  java.util.Optional<Path> serverFolder() {
    return java.util.Optional.ofNullable(spillDir);
  }

  /** A connection whose close also closes this database. */
  Connection connectClosingDatabase() throws SQLException {
    Connection c = connect();
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(c, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if (method.getName().equals("close")) {
                  close();
                }
              }
            });
  }

  /** The qualified schema of the attached event store ({@code store.main}), or null without one. */
  public String storeSchema() {
    return hasStore ? STORE + ".main" : null;
  }

  /** The memory_limit it was opened with, in bytes. */
  public long memoryBytes() {
    return memoryBytes;
  }

  public int threads() {
    return threads;
  }

  /** Whether cells run locked (no files but the exports folder, no settings, no extensions). */
  public boolean locked() {
    return lock != null;
  }

  /** Closes the database once its last connection closes. */
  @Override
  public void close() {
    try {
      root.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }
}
