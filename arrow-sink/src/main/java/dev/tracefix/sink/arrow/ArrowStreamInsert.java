package dev.tracefix.sink.arrow;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.duckdb.DuckDBConnection;

/**
 * Inserts Arrow batches into DuckDB tables through the Arrow C stream interface: DuckDB scans the
 * vectors in place instead of receiving them row by row over JDBC.
 */
public final class ArrowStreamInsert {
  /** Where the SQL given to {@link #insert} names the registered Arrow batch. */
  public static final String VIEW = "{arrow}";

  private static final AtomicLong NEXT_VIEW = new AtomicLong();

  /** Columns of {@code events} filled from an {@link EventBatch}, capture id first. */
  public static final String EVENTS_SQL = insertNamed("events", EventBatch.SCHEMA.getFields());

  /**
   * Columns of {@code processes} filled from a {@link ProcessBatch}, capture id first; the
   * container id is the one capture parsed from the unredacted cgroup path.
   */
  public static final String PROCESSES_SQL =
      insertNamed("processes", ProcessBatch.SCHEMA.getFields());

  /**
   * Columns of {@code processes} filled from a spool segment written before capture parsed
   * container ids: the container id is extracted from the stored cgroup path.
   */
  public static final String PROCESSES_V5_SQL =
      "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id,"
          + " container) SELECT ?, token, comm, build_id, cgroup, exe_hash, key_id,"
          + " nullif(regexp_extract(cgroup,"
          + " '(?:docker|cri-containerd|crio|libpod)-([0-9a-f]{12,64})', 1), '') FROM "
          + VIEW;

  private ArrowStreamInsert() {}

  /**
   * An INSERT of {@code capture_id} and the Arrow columns into the table columns of their names:
   * the table's other columns stay NULL.
   */
  public static String insertNamed(String table, java.util.List<Field> fields) {
    String columns = String.join(", ", fields.stream().map(Field::getName).toList());
    return "INSERT INTO "
        + table
        + " (capture_id, "
        + columns
        + ") SELECT ?, "
        + columns
        + " FROM "
        + VIEW;
  }

  /**
   * Inserts all rows of {@code batch} as events of {@code captureId} on {@code connection}, in
   * whatever transaction the connection has open. Returns the rows inserted.
   */
  public static long insertEvents(
      DuckDBConnection connection, BufferAllocator allocator, String captureId, EventBatch batch)
      throws SQLException {
    return insert(connection, allocator, batch.sealed(), EVENTS_SQL, captureId);
  }

  /**
   * Runs {@code sql} (which reads the batch as {@link #VIEW}, with {@code captureId} as its one
   * parameter) over {@code root}, in whatever transaction the connection has open. Returns the rows
   * the statement reported.
   */
  public static long insert(
      DuckDBConnection connection,
      BufferAllocator allocator,
      VectorSchemaRoot root,
      String sql,
      String captureId)
      throws SQLException {
    if (root.getRowCount() == 0) {
      return 0;
    }
    // The registration is a temporary view over a one-shot stream; a fresh name per batch keeps
    // a failed insert from leaving a released stream behind under a name the next batch reuses.
    String view = "tracefix_arrow_batch_" + NEXT_VIEW.incrementAndGet();
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      // The reader holds its own references, so the stream stays valid whatever the batch does.
      Data.exportArrayStream(allocator, new SingleBatchReader(allocator, root), stream);
      connection.registerArrowStream(view, stream);
      long rows;
      try (PreparedStatement insert = connection.prepareStatement(sql.replace(VIEW, view))) {
        insert.setString(1, captureId);
        rows = insert.executeLargeUpdate();
      } catch (SQLException e) {
        try {
          dropView(connection, view);
        } catch (SQLException dropFailure) {
          e.addSuppressed(dropFailure);
        }
        throw e;
      }
      dropView(connection, view);
      return rows;
    }
  }

  private static void dropView(DuckDBConnection connection, String view) throws SQLException {
    try (Statement drop = connection.createStatement()) {
      drop.execute("DROP VIEW IF EXISTS " + view);
    }
  }
}
