package dev.tracefix.sink.jvm;

import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.jvm.JvmEventSink;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.arrow.ArrowStreamInsert;
import java.sql.Connection;
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
  private final CaptureWriter capture;
  private long rows;
  private boolean committed;

  /** Takes {@code connection} (closed with this writer) and a child of {@code allocator}. */
  public JvmEventWriter(Connection connection, BufferAllocator allocator, CaptureWriter capture) {
    this.connection = (DuckDBConnection) connection;
    this.allocator =
        allocator.newChildAllocator("jvm events " + capture.captureId(), 0, Long.MAX_VALUE);
    this.capture = capture;
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw failure("opening a transaction", e);
    }
  }

  @Override
  public void onProcess(SafeProcess process) {
    capture.onProcess(process);
  }

  @Override
  public void onStack(SafeStack stack) {
    capture.onStack(stack);
  }

  @Override
  public void onJvmEvents(List<SafeJvmEvent> events) {
    try (VectorSchemaRoot batch = JvmEventBatch.of(events, allocator)) {
      rows += ArrowStreamInsert.insert(connection, allocator, batch, INSERT, capture.captureId());
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
        what + " of capture " + capture.captureId() + " in jvm_events: " + e.getMessage(),
        e);
  }
}
