package dev.tracefix.sink;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.sink.arrow.ArrowStreamInsert;
import dev.tracefix.sink.arrow.EventBatch;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;

/**
 * Receives one capture's safe events and stores them. Events collect in Arrow vectors and go to
 * DuckDB in batches of {@code batchRows} (and on {@link #finish}); each batch, together with the
 * processes first seen since the previous one, is inserted in one transaction, so a batch is
 * either fully stored or not at all.
 *
 * <p>Owns its own DuckDB connection and Arrow allocator; {@link #close} releases both. Closing
 * without {@link #finish} still stores what was buffered and leaves the capture's {@code ended_at}
 * NULL, which marks it as incomplete.
 */
public final class CaptureWriter implements SafeEventSink, AutoCloseable {
  private final DuckDBConnection connection;
  private final BufferAllocator allocator;
  private final Path dbFile;
  private final String captureId;
  private final int batchRows;
  private final EventBatch batch;
  private final List<SafeProcess> pendingProcesses = new ArrayList<>();
  private long eventsStored;
  private long batchesStored;
  private boolean finished;
  private boolean closed;

  CaptureWriter(
      DuckDBConnection connection,
      BufferAllocator allocator,
      Path dbFile,
      String captureId,
      int batchRows) {
    this.connection = connection;
    this.allocator = allocator;
    this.dbFile = dbFile;
    this.captureId = captureId;
    this.batchRows = batchRows;
    this.batch = new EventBatch(allocator, batchRows);
  }

  public String captureId() {
    return captureId;
  }

  @Override
  public synchronized void onProcess(SafeProcess process) {
    ensureOpen();
    pendingProcesses.add(process);
  }

  @Override
  public synchronized void onEvents(List<SafeEvent> events) {
    ensureOpen();
    for (SafeEvent event : events) {
      batch.add(event);
      if (batch.rowCount() >= batchRows) {
        flush();
      }
    }
  }

  /**
   * Stores everything buffered and records the capture's summary in {@code captures}. The row is
   * the one {@link EventStore#beginCapture} created: this writer's capture id names the capture in
   * the store (its events already carry it), whatever id capture chose for its own summary.
   */
  public synchronized void finish(CaptureSummary summary) {
    ensureOpen();
    if (finished) {
      throw new SinkException(
          SinkException.Kind.USER, "capture " + captureId + " is already finished");
    }
    flush();
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE captures SET started_at = ?, ended_at = ?, probes = ?, event_count = ?,"
                + " drop_count = ?, key_id = ?, command_exit_code = ? WHERE capture_id = ?")) {
      update.setObject(1, utc(summary.startedAt()));
      update.setObject(2, utc(summary.endedAt()));
      update.setArray(3, connection.createArrayOf("VARCHAR", summary.probes().toArray()));
      update.setLong(4, summary.eventCount());
      update.setLong(5, summary.dropCount());
      update.setString(6, summary.keyId());
      update.setInt(7, summary.commandExitCode());
      update.setString(8, captureId);
      update.executeUpdate();
    } catch (SQLException e) {
      throw failure("recording the summary of capture " + captureId, e);
    }
    finished = true;
  }

  /** Events stored in DuckDB so far (buffered events are not counted until their batch lands). */
  public synchronized long eventsStored() {
    return eventsStored;
  }

  /** Batches (transactions) stored so far. */
  public synchronized long batchesStored() {
    return batchesStored;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (!finished) {
        flush();
      }
    } finally {
      closed = true;
      batch.close();
      allocator.close();
      try {
        connection.close();
      } catch (SQLException e) {
        throw failure("closing the connection of capture " + captureId, e);
      }
    }
  }

  private void flush() {
    if (batch.rowCount() == 0 && pendingProcesses.isEmpty()) {
      return;
    }
    try {
      connection.setAutoCommit(false);
      try {
        insertProcesses();
        eventsStored += ArrowStreamInsert.insertEvents(connection, allocator, captureId, batch);
        connection.commit();
        batchesStored++;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
          connection.setAutoCommit(true);
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      throw failure("storing a batch of " + batch.rowCount() + " events of " + captureId, e);
    } finally {
      // A failed batch is dropped rather than retried forever from the capture thread.
      pendingProcesses.clear();
      batch.reset();
    }
  }

  private void insertProcesses() throws SQLException {
    if (pendingProcesses.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO processes VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (SafeProcess p : pendingProcesses) {
        insert.setString(1, captureId);
        insert.setString(2, p.token());
        insert.setString(3, p.comm());
        insert.setString(4, p.buildId());
        insert.setString(5, p.cgroup());
        insert.setString(6, p.exeHash());
        insert.setString(7, p.keyId());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new SinkException(
          SinkException.Kind.USER, "the writer of capture " + captureId + " is already closed");
    }
  }

  private SinkException failure(String what, SQLException e) {
    return new SinkException(
        SinkException.Kind.INTERNAL, what + " in " + dbFile + " failed: " + e.getMessage(), e);
  }

  static LocalDateTime utc(Instant instant) {
    return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
