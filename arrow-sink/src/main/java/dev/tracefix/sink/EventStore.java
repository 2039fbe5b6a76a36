package dev.tracefix.sink;

import dev.tracefix.capture.FileModes;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.sink.forget.AuditLog;
import dev.tracefix.sink.forget.DatabaseForget;
import dev.tracefix.sink.forget.FileScrub;
import dev.tracefix.sink.forget.ParquetForget;
import dev.tracefix.sink.forget.RetentionSweep;
import dev.tracefix.sink.parquet.ParquetExport;
import dev.tracefix.sink.parquet.ParquetImport;
import dev.tracefix.sink.parquet.PartitionFiles;
import dev.tracefix.sink.parquet.SharedRoot;
import dev.tracefix.sink.schema.StoreSchema;
import dev.tracefix.sink.spool.RecoveryReport;
import dev.tracefix.sink.spool.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tracefix's event store: one DuckDB file holding captures, their events and processes.
 *
 * <p>Entry points: {@link #open} a file, {@link #beginCapture} to store a capture, {@link #connect}
 * to query, {@link #exportParquet}/{@link #importParquet} to move captures between machines, {@link
 * #forget} to delete a subject's rows. Every method throws only {@link SinkException}.
 *
 * <p>Retention ({@link StoreOptions#retention()}, 14 days of events by default) is enforced when
 * the store opens and every {@link StoreOptions#sweepInterval()} while it is open. When rows were
 * deleted, {@link #close} rewrites the file so their bytes do not survive in freed blocks.
 */
public final class EventStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

  /** Rows per Arrow batch: large enough to amortize a transaction, small enough to stay cheap. */
  public static final int DEFAULT_BATCH_ROWS = 64 * 1024;

  private final Path dbFile;
  private final DuckDBConnection connection;
  private final BufferAllocator allocator;
  private final Spool spool;
  private final RecoveryReport recovery;
  private final List<CaptureWriter> writers = new ArrayList<>();
  private final StoreOptions options;
  private final AtomicBoolean deletedRows = new AtomicBoolean();
  private ScheduledExecutorService sweeper;
  private boolean closed;

  private EventStore(
      Path dbFile,
      DuckDBConnection connection,
      BufferAllocator allocator,
      Spool spool,
      RecoveryReport recovery,
      StoreOptions options) {
    this.dbFile = dbFile;
    this.connection = connection;
    this.allocator = allocator;
    this.spool = spool;
    this.recovery = recovery;
    this.options = options;
  }

  /** The spool directory a store uses unless told otherwise: {@code <db file>.spool}. */
  public static Path defaultSpoolDir(Path dbFile) {
    Path absolute = dbFile.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + ".spool");
  }

  /** Opens or creates the DuckDB file, with an Arrow allocator of its own. */
  public static EventStore open(Path dbFile) {
    RootAllocator root = new RootAllocator();
    try {
      return openWith(dbFile, root, defaultSpoolDir(dbFile), StoreOptions.DEFAULT);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /**
   * Opens or creates the DuckDB file; Arrow memory comes from a child of {@code parent}, which the
   * caller keeps owning (and closing, which then reveals any leak).
   */
  public static EventStore open(Path dbFile, BufferAllocator parent) {
    return open(dbFile, parent, defaultSpoolDir(dbFile));
  }

  /**
   * Opens or creates the DuckDB file with its spool in {@code spoolDir}, and ingests the segments a
   * previous run left there (see {@link #recovery()}).
   */
  public static EventStore open(Path dbFile, BufferAllocator parent, Path spoolDir) {
    return open(dbFile, parent, StoreOptions.DEFAULT.withSpoolDir(spoolDir));
  }

  /**
   * Opens or creates the DuckDB file as {@code options} say: spool folder, retention and the clock
   * retention reads. Retention runs once before this returns, then every sweep interval.
   */
  public static EventStore open(Path dbFile, BufferAllocator parent, StoreOptions options) {
    BufferAllocator child = parent.newChildAllocator("event-store " + dbFile, 0, Long.MAX_VALUE);
    Path spoolDir =
        options.spoolDir() == null ? defaultSpoolDir(dbFile) : options.spoolDir().toAbsolutePath();
    try {
      return openWith(dbFile, child, spoolDir, options);
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  /**
   * A read-only connection to an existing store: nothing is migrated, ingested from the spool or
   * deleted by retention, and every write fails. The caller closes it. A file that does not exist
   * or that a newer tracefix wrote is refused ({@code USER}); an older schema is read as it is (see
   * {@link #schemaVersion}).
   */
  public static Connection connectReadOnly(Path dbFile) {
    Path absolute = dbFile.toAbsolutePath();
    if (!Files.isRegularFile(absolute)) {
      throw new SinkException(SinkException.Kind.USER, "no database at " + absolute);
    }
    java.util.Properties readOnly = new java.util.Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    Connection connection;
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:" + absolute, readOnly);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot open DuckDB file "
              + absolute
              + " (is another process writing it?): "
              + e.getMessage(),
          e);
    }
    int version = schemaVersion(connection);
    if (version > StoreSchema.CURRENT_VERSION) {
      closeQuietly(connection);
      throw new SinkException(
          SinkException.Kind.USER,
          "cannot open "
              + absolute
              + ": it was written by a newer tracefix (schema version "
              + version
              + ", this one reads up to "
              + StoreSchema.CURRENT_VERSION
              + ")");
    }
    return connection;
  }

  /** The schema version of the database behind {@code connection}; 0 when it has none. */
  public static int schemaVersion(Connection connection) {
    try (java.sql.Statement s = connection.createStatement()) {
      try (java.sql.ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return 0;
        }
      }
      try (java.sql.ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.DATA, "cannot read the schema version: " + e.getMessage(), e);
    }
  }

  private static EventStore openWith(
      Path dbFile, BufferAllocator allocator, Path spoolDir, StoreOptions options) {
    Path absolute = dbFile.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent(), FileModes.active().directoryAttribute());
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot create the directory of " + absolute + ": " + e.getMessage(),
          e);
    }
    DuckDBConnection connection;
    try {
      // Caps from the options, set before anything runs: a store left open beside a traced
      // service takes no more memory and cores than it was given.
      java.util.Properties config = new java.util.Properties();
      if (options.memoryLimitBytes() > 0) {
        config.setProperty("memory_limit", (options.memoryLimitBytes() >> 20) + "MiB");
      }
      if (options.threads() > 0) {
        config.setProperty("threads", Integer.toString(options.threads()));
      }
      connection =
          DriverManager.getConnection("jdbc:duckdb:" + absolute, config)
              .unwrap(DuckDBConnection.class);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot open DuckDB file "
              + absolute
              + " (is another process using it?): "
              + e.getMessage(),
          e);
    }
    // DuckDB created the file under the process umask (0600 when the CLI set it); a file created
    // by a library caller with a looser umask, or by an older tracefix, is tightened here.
    tightenDatabaseFiles(absolute);
    try {
      StoreSchema.migrate(connection);
    } catch (StoreSchema.NewerSchemaException e) {
      closeQuietly(connection);
      throw new SinkException(
          SinkException.Kind.USER,
          "cannot open "
              + absolute
              + ": it was written by a newer tracefix (schema version "
              + e.found()
              + ", this one reads up to "
              + StoreSchema.CURRENT_VERSION
              + "); open it with that tracefix or upgrade this one",
          e);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new SinkException(
          SinkException.Kind.DATA,
          "cannot bring "
              + absolute
              + " to schema version "
              + StoreSchema.CURRENT_VERSION
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      Spool spool = new Spool(spoolDir);
      RecoveryReport recovery = spool.recover(connection, allocator);
      EventStore store = new EventStore(absolute, connection, allocator, spool, recovery, options);
      store.enforceRetention();
      store.scheduleRetention();
      return store;
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private void scheduleRetention() {
    if (options.retention().maxAge().isEmpty()) {
      return;
    }
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "tracefix-retention " + dbFile.getFileName());
              thread.setDaemon(true);
              return thread;
            });
    long every = options.sweepInterval().toMillis();
    sweeper.scheduleAtFixedRate(
        () -> {
          try {
            enforceRetention();
          } catch (RuntimeException | Error e) {
            // The next sweep tries again; the store itself keeps working. An escaping throwable
            // would silently cancel every later sweep of the scheduled executor.
            LOG.warn("tracefix: retention sweep of {} failed: {}", dbFile, e.getMessage());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Deletes what the retention no longer allows as of the options' clock, recording each table that
   * lost rows in {@code deletions}. Returns rows deleted per table.
   */
  public synchronized Map<String, Long> enforceRetention() {
    ensureOpen();
    if (options.retention().maxAge().isEmpty()) {
      return Map.of();
    }
    // A connection of its own per sweep: the sweep must read what other connections (the
    // writers' ingest threads) committed since, never a snapshot the shared connection holds.
    try (Connection sweep = connection.duplicate()) {
      Map<String, Long> deleted =
          RetentionSweep.run(sweep, options.retention(), options.clock().instant());
      if (!deleted.isEmpty()) {
        deletedRows.set(true);
      }
      options.onSweep().accept(deleted);
      return deleted;
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.INTERNAL,
          "enforcing retention "
              + options.retention().maxAge()
              + " in "
              + dbFile
              + " failed: "
              + e.getMessage(),
          e);
    }
  }

  /** {@link #forget(Subject, List)} in this database only. */
  public ForgetResult forget(Subject subject) {
    return forget(subject, List.of());
  }

  /**
   * Deletes every row of {@code subject} from this database (one transaction) and from each Parquet
   * export folder in {@code parquetDirs} (affected files rewritten atomically), recording per table
   * in {@code deletions} when, the subject's kind and digest, and how many rows went. A subject
   * neither the database nor the folders hold any row of (a mistyped token, an unknown capture id)
   * is refused ({@code USER}) with nothing deleted or audited, as is a capture still being written.
   */
  public synchronized ForgetResult forget(Subject subject, List<Path> parquetDirs) {
    ensureOpen();
    for (Path dir : parquetDirs) {
      ParquetForget.checkExport(dir.toAbsolutePath()); // before anything is deleted
    }
    try (Connection c = connect()) {
      if (subject instanceof Subject.Capture capture) {
        for (CaptureWriter writer : writers) {
          if (writer.captureId().equals(capture.captureId()) && !writer.isClosed()) {
            throw new SinkException(
                SinkException.Kind.USER,
                "capture "
                    + capture.captureId()
                    + " is still being written to "
                    + dbFile
                    + "; forget it after the capture has finished");
          }
        }
      }
      // A subject nobody has is a typo, not a deletion: refused before any audit row is written.
      boolean known = DatabaseForget.holds(c, subject);
      for (Path dir : parquetDirs) {
        known = known || ParquetForget.holds(c, dir.toAbsolutePath(), subject);
      }
      if (!known) {
        String where = dbFile + (parquetDirs.isEmpty() ? "" : " or in " + parquetDirs);
        throw new SinkException(
            SinkException.Kind.USER,
            switch (subject) {
              case Subject.Capture capture ->
                  "no capture "
                      + capture.captureId()
                      + " in "
                      + where
                      + "; list them with: SELECT capture_id FROM captures";
              case Subject.Token t ->
                  "no rows for that subject: no process token matches in "
                      + where
                      + "; nothing deleted or recorded (list tokens with: SELECT token, comm FROM"
                      + " processes)";
              case Subject.Cgroup g ->
                  "no rows for that subject: no process of that cgroup or container in "
                      + where
                      + "; nothing deleted or recorded (list them with: SELECT DISTINCT cgroup,"
                      + " container FROM processes)";
            });
      }
      Map<String, Long> rows = new LinkedHashMap<>();
      Instant at = options.clock().instant();
      rows.putAll(DatabaseForget.run(c, subject, at));
      deletedRows.set(true);
      int files = 0;
      for (Path dir : parquetDirs) {
        ParquetForget.Outcome outcome = ParquetForget.run(c, subject, dir.toAbsolutePath());
        files += outcome.filesRewritten();
        for (var entry : outcome.rowsByTable().entrySet()) {
          AuditLog.record(
              c, at, subject.kind(), subject.digest(), entry.getKey(), entry.getValue());
          rows.merge(entry.getKey(), entry.getValue(), Long::sum);
        }
      }
      return new ForgetResult(subject.kind(), subject.digest(), rows, files);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.INTERNAL,
          "forgetting a " + subject.kind() + " in " + dbFile + " failed: " + e.getMessage(),
          e);
    }
  }

  /** What opening found in the spool: segments ingested, already stored, quarantined. */
  public RecoveryReport recovery() {
    return recovery;
  }

  public Path spoolDir() {
    return spool.dir();
  }

  public Path dbFile() {
    return dbFile;
  }

  /** A new connection to this database for queries; the caller closes it. */
  public Connection connect() {
    ensureOpen();
    try {
      return connection.duplicate();
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot connect to " + dbFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * DuckDB's {@code memory_limit} and {@code threads} as this store's database runs with them, e.g.
   * {@code memory_limit=256.0 MiB threads=1}: what the options capped, or DuckDB's defaults.
   */
  public String limits() {
    try (Connection c = connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT current_setting('memory_limit'), current_setting('threads')")) {
      rs.next();
      return "memory_limit=" + rs.getString(1) + " threads=" + rs.getString(2);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot read the limits of " + dbFile + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Bytes DuckDB's buffer manager holds for this store's database now ({@code duckdb_memory()}),
   * the part of the agent's resident memory that the JVM's own accounting does not see; -1 when the
   * store is closed or the query fails (a metric must not stop a capture).
   */
  public long memoryInUse() {
    try (Connection c = connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException | SinkException e) {
      return -1;
    }
  }

  /** Starts storing a capture with {@link #DEFAULT_BATCH_ROWS} rows per batch. */
  public CaptureWriter beginCapture(String captureId, String host) {
    return beginCapture(captureId, host, DEFAULT_BATCH_ROWS);
  }

  /** Starts storing a capture with {@code batchRows} rows per batch and default options. */
  public CaptureWriter beginCapture(String captureId, String host, int batchRows) {
    return beginCapture(captureId, host, IngestOptions.DEFAULT.withBatchRows(batchRows));
  }

  /**
   * Records the capture in {@code captures} (started now, not yet ended, with this machine's kernel
   * release as {@code uname -r} prints it) and returns the writer that stores its events. The id
   * must be new to this store: it names a Parquet directory and its spool segments.
   */
  public synchronized CaptureWriter beginCapture(
      String captureId, String host, IngestOptions options) {
    ensureOpen();
    PartitionNames.check("capture id", captureId);
    PartitionNames.check("host", host);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO captures (capture_id, host, started_at, kernel) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, captureId);
      insert.setString(2, host);
      insert.setObject(3, CaptureWriter.utc(Instant.now()));
      // On Linux the JDK's os.version is uname(2)'s release, e.g. 6.18.0-1-amd64.
      insert.setString(4, System.getProperty("os.version"));
      insert.executeUpdate();
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      SinkException.Kind kind =
          message.contains("Duplicate key") || message.contains("PRIMARY KEY")
              ? SinkException.Kind.USER
              : SinkException.Kind.INTERNAL;
      throw new SinkException(
          kind,
          "cannot begin capture "
              + captureId
              + " in "
              + dbFile
              + (kind == SinkException.Kind.USER ? ": that capture id is already stored" : "")
              + " ("
              + message
              + ")",
          e);
    }
    DuckDBConnection writerConnection = (DuckDBConnection) connect();
    BufferAllocator writerAllocator =
        allocator.newChildAllocator("capture " + captureId, 0, Long.MAX_VALUE);
    CaptureWriter writer =
        new CaptureWriter(
            writerConnection,
            writerAllocator,
            dbFile,
            spool.dir(),
            captureId,
            host,
            options,
            this::memoryInUse);
    writers.add(writer);
    return writer;
  }

  /**
   * Writes every capture as Hive-partitioned Parquet under {@code dir}, which must be empty or
   * absent: {@code events/date=/host=/capture=/}, {@code processes/capture=/}, {@code
   * captures/capture=/} and the other per-capture tables. Every text value passes capture's
   * recognizers under {@code key} first (keyed placeholders such as {@code <EMAIL:3f9a1c2b>}); a
   * host name or capture id they fire on becomes a keyed token ({@code h_…}, {@code c_…}) in folder
   * names and columns alike. Files and folders get {@link FileModes#active()}'s modes.
   */
  public ExportResult exportParquet(Path dir, HmacKey key) {
    return exportParquet(dir, key, PartitionFiles.DEFAULT_TARGET_BYTES);
  }

  /**
   * {@link #exportParquet(Path, HmacKey)} with each partition's rows sorted by time in files of at
   * most {@code targetFileBytes} (a partition's small files merged, a big one cut by time range).
   */
  public ExportResult exportParquet(Path dir, HmacKey key, long targetFileBytes) {
    ensureOpen();
    try (Connection exportConnection = connect()) {
      return ParquetExport.write(exportConnection, dir.toAbsolutePath(), key, targetFileBytes);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.INTERNAL, "closing the export connection of " + dbFile, e);
    }
  }

  /**
   * {@link #exportParquet(Path, HmacKey, long)} into {@code root}, a folder many hosts export into
   * (a mounted shared store): refused, with nothing moved in, when a capture is already there.
   */
  public ExportResult exportParquetShared(Path root, HmacKey key, long targetFileBytes) {
    ensureOpen();
    try (Connection exportConnection = connect()) {
      return SharedRoot.export(exportConnection, root.toAbsolutePath(), key, targetFileBytes);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.INTERNAL, "closing the export connection of " + dbFile, e);
    }
  }

  /**
   * Loads an {@link #exportParquet} directory, skipping captures this store already holds, in one
   * transaction. Returns the rows inserted over all three tables (0 when everything was present).
   */
  public long importParquet(Path dir) {
    ensureOpen();
    try (Connection importConnection = connect()) {
      return ParquetImport.read(importConnection, dir.toAbsolutePath());
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.INTERNAL, "closing the import connection of " + dbFile, e);
    }
  }

  /**
   * Stops the retention sweeps, closes open writers (storing what they buffered), the allocator and
   * the database; then, if rows were deleted, rewrites the file without their bytes.
   */
  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = sweeper;
    }
    if (stopping != null) {
      stopping.shutdownNow();
      try {
        stopping.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        for (CaptureWriter writer : writers) {
          writer.close();
        }
      } finally {
        writers.clear();
        allocator.close();
        closeQuietly(connection);
      }
    }
    if (deletedRows.get()) {
      FileScrub.rewrite(dbFile);
    }
    tightenDatabaseFiles(dbFile);
  }

  /** The database and its write-ahead log get {@link FileModes#active()}'s file mode. */
  private static void tightenDatabaseFiles(Path db) {
    try {
      FileModes modes = FileModes.active();
      modes.tighten(db);
      modes.tighten(db.resolveSibling(db.getFileName() + ".wal"));
    } catch (java.io.UncheckedIOException e) {
      // Someone else's file opened through group write access: usable, just not ours to chmod.
      LOG.warn("tracefix: {}", e.getMessage());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new SinkException(SinkException.Kind.USER, "event store " + dbFile + " is closed");
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing after a failure: the first error is the one worth reporting.
    }
  }
}
