package dev.tracefix.sink;

import dev.tracefix.capture.EventType;
import dev.tracefix.sink.arrow.EventBatch;
import dev.tracefix.sink.arrow.ProcessBatch;
import dev.tracefix.sink.spool.SegmentFile;
import dev.tracefix.sink.spool.SegmentIngest;
import dev.tracefix.sink.spool.SegmentName;
import dev.tracefix.sink.spool.SegmentTable;
import dev.tracefix.sink.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;

/**
 * The ingest thread's work for one closed batch: segment file (fsync, acknowledge), then one
 * DuckDB transaction with the segment id, then delete the file. Used by one thread only; the
 * counters are read by others, hence volatile snapshots.
 */
final class SpoolIngester {
  private final DuckDBConnection connection;
  private final BufferAllocator allocator;
  private final Path spoolDir;
  private final String captureId;
  private final String host;
  private final Consumer<SpoolAck> onDurable;
  private final long[] stored = new long[EventType.values().length];
  private final long[] failed = new long[EventType.values().length];
  private long nextSeq;
  private volatile long eventsStored;
  private volatile long eventsFailed;
  private volatile long batchesStored;

  SpoolIngester(
      DuckDBConnection connection,
      BufferAllocator allocator,
      Path spoolDir,
      String captureId,
      String host,
      Consumer<SpoolAck> onDurable) {
    this.connection = connection;
    this.allocator = allocator;
    this.spoolDir = spoolDir;
    this.captureId = captureId;
    this.host = host;
    this.onDurable = onDurable;
  }

  void store(SealedBatch sealed) {
    if (!sealed.processes().isEmpty()) {
      try (VectorSchemaRoot root = ProcessBatch.of(allocator, sealed.processes())) {
        storeSegment(SegmentTable.PROCESSES, root, 0, 0);
      }
    }
    EventBatch events = sealed.events();
    if (events == null || events.rowCount() == 0) {
      return;
    }
    long[] counts = events.typeCounts();
    try {
      VectorSchemaRoot root = events.sealed();
      storeSegment(SegmentTable.EVENTS, root, events.minTimeNs(), events.maxTimeNs());
    } catch (SinkException e) {
      synchronized (this) {
        for (int t = 0; t < counts.length; t++) {
          failed[t] += counts[t];
        }
        eventsFailed += events.rowCount();
      }
      throw e;
    }
    synchronized (this) {
      for (int t = 0; t < counts.length; t++) {
        stored[t] += counts[t];
      }
      eventsStored += events.rowCount();
      batchesStored++;
    }
  }

  private void storeSegment(SegmentTable table, VectorSchemaRoot root, long minNs, long maxNs) {
    SegmentName name = new SegmentName(captureId, nextSeq++, table);
    Path file;
    try {
      file = SegmentFile.write(spoolDir, name, host, root);
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot write spool segment "
              + spoolDir.resolve(name.fileName())
              + " ("
              + e
              + "); its "
              + root.getRowCount()
              + " "
              + table.tableName()
              + " rows were dropped and counted in capture_stats. The database and the segments"
              + " acknowledged before are intact; free space in "
              + spoolDir,
          e);
    }
    onDurable.accept(new SpoolAck(name.id(), table.tableName(), root.getRowCount(), minNs, maxNs, file));
    try {
      SegmentIngest.ingest(connection, allocator, name, host, root);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "inserting spool segment " + file + " into DuckDB failed (" + e.getMessage()
              + "); the segment is kept and is ingested the next time the store is opened",
          e);
    }
    Spool.delete(file);
  }

  long eventsStored() {
    return eventsStored;
  }

  long eventsFailed() {
    return eventsFailed;
  }

  long batchesStored() {
    return batchesStored;
  }

  synchronized long[] storedByType() {
    return stored.clone();
  }

  synchronized long[] failedByType() {
    return failed.clone();
  }
}
