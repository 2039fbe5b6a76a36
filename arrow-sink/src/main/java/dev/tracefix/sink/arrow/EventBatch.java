package dev.tracefix.sink.arrow;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.schema.EventColumns;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Safe events of one capture, column by column, until they are inserted. The columns are {@link
 * EventColumns}: the {@code events} table's names and types, derived from {@link SafeEvent}, except
 * {@code capture_id}, which is the same for the whole capture and is added by the INSERT instead of
 * being repeated per row.
 */
public final class EventBatch implements AutoCloseable {
  public static final Schema SCHEMA = EventColumns.SCHEMA;

  private static final List<ColumnWriter.Factory> WRITERS =
      EventColumns.all().stream().map(ColumnWriter::factory).toList();

  private final VectorSchemaRoot root;
  private final ColumnWriter[] writers;
  private final int initialCapacity;
  private final long[] typeCounts = new long[EventType.values().length];
  private int rows;
  private long minTimeNs = Long.MAX_VALUE;
  private long maxTimeNs = Long.MIN_VALUE;

  public EventBatch(BufferAllocator allocator, int initialCapacity) {
    this.initialCapacity = initialCapacity;
    root = VectorSchemaRoot.create(SCHEMA, allocator);
    writers = new ColumnWriter[WRITERS.size()];
    for (int c = 0; c < writers.length; c++) {
      writers[c] = WRITERS.get(c).writerFor(root.getVector(c));
    }
    allocate();
  }

  public void add(SafeEvent event) {
    int i = rows;
    for (ColumnWriter writer : writers) {
      writer.write(event, i);
    }
    typeCounts[event.type().ordinal()]++;
    minTimeNs = Math.min(minTimeNs, event.timeNs());
    maxTimeNs = Math.max(maxTimeNs, event.timeNs());
    rows++;
  }

  /** Rows of each event type, indexed by {@link EventType#ordinal()}; a copy. */
  public long[] typeCounts() {
    return typeCounts.clone();
  }

  /** Earliest event time in this batch (Long.MAX_VALUE when empty). */
  public long minTimeNs() {
    return minTimeNs;
  }

  /** Latest event time in this batch (Long.MIN_VALUE when empty). */
  public long maxTimeNs() {
    return maxTimeNs;
  }

  public int rowCount() {
    return rows;
  }

  /**
   * The filled vectors with their row count set. Valid until {@link #reset}; a reader that needs
   * the data longer must take its own references (an {@code ArrowRecordBatch} does).
   */
  public VectorSchemaRoot sealed() {
    root.setRowCount(rows);
    return root;
  }

  /** Drops this batch's references to its buffers and starts an empty batch. */
  public void reset() {
    root.clear();
    allocate();
  }

  @Override
  public void close() {
    root.close();
  }

  private void allocate() {
    rows = 0;
    java.util.Arrays.fill(typeCounts, 0);
    minTimeNs = Long.MAX_VALUE;
    maxTimeNs = Long.MIN_VALUE;
    for (var vector : root.getFieldVectors()) {
      if (vector instanceof BaseVariableWidthVector text) {
        // Value bytes start at one a row and double as a column fills: most text columns stay
        // NULL for any one record type and then hold no value bytes, where Arrow's default
        // reserves eight a row for each.
        text.setInitialCapacity(initialCapacity, 1.0);
      } else {
        vector.setInitialCapacity(initialCapacity);
      }
      vector.allocateNew();
    }
  }
}
