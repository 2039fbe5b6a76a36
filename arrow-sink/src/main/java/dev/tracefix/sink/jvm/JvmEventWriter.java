package dev.tracefix.sink.jvm;

import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.jvm.JvmEventSink;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.arrow.ArrowStreamInsert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;

/**
 * Stores a capture's JVM events: rows of {@code jvm_events} in one transaction on a connection of
 * its own, committed by {@link #commit} (a failed import leaves none behind); the JVM's process row
 * and its stacks through the capture's {@link CaptureWriter}, as kernel events' are.
 */
public final class JvmEventWriter implements JvmEventSink, AutoCloseable {
  private static final String INSERT =
      ArrowStreamInsert.insertNamed("jvm_events", JvmEventBatch.SCHEMA.getFields());

  private final DuckDBConnection connection;
  private final BufferAllocator allocator;
  private final String captureId;
  private final CaptureWriter capture;
  private long rows;
  private boolean committed;

  /** Takes {@code connection} (closed with this writer) and a child of {@code allocator}. */
  public JvmEventWriter(Connection connection, BufferAllocator allocator, CaptureWriter capture) {
    this(connection, allocator, capture.captureId(), capture);
  }

  /**
   * A writer into capture {@code captureId} on {@code connection} alone (taken): processes and
   * stacks are inserted beside the events unless the capture has them. For a capture already
   * finished, or one whose kernel rows another writer stores meanwhile (a live JVM stream).
   */
  public static JvmEventWriter intoFinished(
      Connection connection, BufferAllocator allocator, String captureId) {
    return new JvmEventWriter(connection, allocator, captureId, null);
  }

  private JvmEventWriter(
      Connection connection, BufferAllocator allocator, String captureId, CaptureWriter capture) {
    this.connection = (DuckDBConnection) connection;
    this.allocator = allocator.newChildAllocator("jvm events " + captureId, 0, Long.MAX_VALUE);
    this.captureId = captureId;
    this.capture = capture;
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw failure("opening a transaction", e);
    }
  }

  @Override
  public void onProcess(SafeProcess process) {
    if (capture != null) {
      capture.onProcess(process);
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id,"
                + " container) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                + " processes WHERE capture_id = ? AND token = ?)")) {
      insert.setString(1, captureId);
      insert.setString(2, process.token());
      insert.setString(3, process.comm());
      insert.setString(4, process.buildId());
      insert.setString(5, process.cgroup());
      insert.setString(6, process.exeHash());
      insert.setString(7, process.keyId());
      insert.setString(8, process.container());
      insert.setString(9, captureId);
      insert.setString(10, process.token());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw failure("storing the JVM's process row", e);
    }
  }

  @Override
  public void onStack(SafeStack stack) {
    if (capture != null) {
      capture.onStack(stack);
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO stacks (capture_id, stack_id, build_id, frames, kernel_frames)"
                + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM stacks"
                + " WHERE capture_id = ? AND stack_id = ?)")) {
      insert.setString(1, captureId);
      insert.setLong(2, stack.stackId());
      insert.setString(3, stack.buildId());
      insert.setArray(4, connection.createArrayOf("VARCHAR", stack.frames().toArray()));
      insert.setArray(5, connection.createArrayOf("VARCHAR", stack.kernelFrames().toArray()));
      insert.setString(6, captureId);
      insert.setLong(7, stack.stackId());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw failure("storing a JVM stack", e);
    }
  }

  @Override
  public void onJvmEvents(List<SafeJvmEvent> events) {
    try (VectorSchemaRoot batch = JvmEventBatch.of(events, allocator)) {
      rows += ArrowStreamInsert.insert(connection, allocator, batch, INSERT, captureId);
    } catch (SQLException e) {
      throw failure("storing " + events.size() + " JVM events", e);
    }
  }

  /** Makes the rows stored so far visible; returns how many there are. */
  public long commit() {
    try {
      connection.commit();
      committed = true;
      return rows;
    } catch (SQLException e) {
      throw failure("committing " + rows + " JVM events", e);
    }
  }

  /** Rolls back what {@link #commit} did not make visible, and closes. */
  @Override
  public void close() {
    try {
      if (!committed) {
        connection.rollback();
      }
      connection.close();
    } catch (SQLException e) {
      throw failure("closing", e);
    } finally {
      allocator.close();
    }
  }

  private SinkException failure(String what, SQLException e) {
    return new SinkException(
        SinkException.Kind.INTERNAL,
        what + " of capture " + captureId + " in jvm_events: " + e.getMessage(),
        e);
  }
}
