package dev.tracefix.sink;

import dev.tracefix.sink.parquet.ParquetExport;
import dev.tracefix.sink.parquet.ParquetImport;
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
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;

/**
 * tracefix's event store: one DuckDB file holding captures, their events and processes.
 *
 * <p>Entry points: {@link #open} a file, {@link #beginCapture} to store a capture, {@link
 * #connect} to query, {@link #exportParquet}/{@link #importParquet} to move captures between
 * machines. Every method throws only {@link SinkException}.
 */
public final class EventStore implements AutoCloseable {
  /** Rows per Arrow batch: large enough to amortize a transaction, small enough to stay cheap. */
  public static final int DEFAULT_BATCH_ROWS = 64 * 1024;

  private final Path dbFile;
  private final DuckDBConnection connection;
  private final BufferAllocator allocator;
  private final Spool spool;
  private final RecoveryReport recovery;
  private final List<CaptureWriter> writers = new ArrayList<>();
  private boolean closed;

  private EventStore(
      Path dbFile,
      DuckDBConnection connection,
      BufferAllocator allocator,
      Spool spool,
      RecoveryReport recovery) {
    this.dbFile = dbFile;
    this.connection = connection;
    this.allocator = allocator;
    this.spool = spool;
    this.recovery = recovery;
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
      return openWith(dbFile, root, defaultSpoolDir(dbFile));
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
    BufferAllocator child = parent.newChildAllocator("event-store " + dbFile, 0, Long.MAX_VALUE);
    try {
      return openWith(dbFile, child, spoolDir.toAbsolutePath());
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  private static EventStore openWith(Path dbFile, BufferAllocator allocator, Path spoolDir) {
    Path absolute = dbFile.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot create the directory of " + absolute + ": " + e.getMessage(),
          e);
    }
    DuckDBConnection connection;
    try {
      connection =
          DriverManager.getConnection("jdbc:duckdb:" + absolute).unwrap(DuckDBConnection.class);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot open DuckDB file " + absolute + " (is another process using it?): "
              + e.getMessage(),
          e);
    }
    try {
      StoreSchema.migrate(connection);
    } catch (StoreSchema.NewerSchemaException e) {
      closeQuietly(connection);
      throw new SinkException(
          SinkException.Kind.USER,
          "cannot open " + absolute + ": it was written by a newer tracefix (schema version "
              + e.found() + ", this one reads up to " + StoreSchema.CURRENT_VERSION
              + "); open it with that tracefix or upgrade this one",
          e);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new SinkException(
          SinkException.Kind.DATA,
          "cannot bring " + absolute + " to schema version " + StoreSchema.CURRENT_VERSION + ": "
              + e.getMessage(),
          e);
    }
    try {
      Spool spool = new Spool(spoolDir);
      RecoveryReport recovery = spool.recover(connection, allocator);
      return new EventStore(absolute, connection, allocator, spool, recovery);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
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

  /** Starts storing a capture with {@link #DEFAULT_BATCH_ROWS} rows per batch. */
  public CaptureWriter beginCapture(String captureId, String host) {
    return beginCapture(captureId, host, DEFAULT_BATCH_ROWS);
  }

  /** Starts storing a capture with {@code batchRows} rows per batch and default options. */
  public CaptureWriter beginCapture(String captureId, String host, int batchRows) {
    return beginCapture(captureId, host, IngestOptions.DEFAULT.withBatchRows(batchRows));
  }

  /**
   * Records the capture in {@code captures} (started now, not yet ended, with this machine's
   * kernel) and returns the writer that stores its events. The id must be new to this store: it
   * names a Parquet directory and its spool segments.
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
      insert.setString(4, System.getProperty("os.name") + " " + System.getProperty("os.version"));
      insert.executeUpdate();
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      SinkException.Kind kind =
          message.contains("Duplicate key") || message.contains("PRIMARY KEY")
              ? SinkException.Kind.USER
              : SinkException.Kind.INTERNAL;
      throw new SinkException(
          kind,
          "cannot begin capture " + captureId + " in " + dbFile
              + (kind == SinkException.Kind.USER ? ": that capture id is already stored" : "")
              + " (" + message + ")",
          e);
    }
    DuckDBConnection writerConnection = (DuckDBConnection) connect();
    BufferAllocator writerAllocator =
        allocator.newChildAllocator("capture " + captureId, 0, Long.MAX_VALUE);
    CaptureWriter writer =
        new CaptureWriter(
            writerConnection, writerAllocator, dbFile, spool.dir(), captureId, host, options);
    writers.add(writer);
    return writer;
  }

  /**
   * Writes every capture as Hive-partitioned Parquet under {@code dir}, which must be empty or
   * absent: {@code events/date=/host=/capture=/}, {@code processes/capture=/}, {@code
   * captures/capture=/}. Returns the rows written over all three tables.
   */
  public long exportParquet(Path dir) {
    ensureOpen();
    try (Connection exportConnection = connect()) {
      return ParquetExport.write(exportConnection, dir.toAbsolutePath());
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

  /** Closes open writers (storing what they buffered), the allocator and the database. */
  @Override
  public synchronized void close() {
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
