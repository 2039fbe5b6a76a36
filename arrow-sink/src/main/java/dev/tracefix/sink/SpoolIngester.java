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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work for one closed batch, in two stages on two threads so that the fsync of one batch
 * overlaps the DuckDB insert of the previous one: {@link #spool} writes the segment files (fsync,
 * acknowledge), {@link #insert} puts the rows and segment ids into DuckDB's open transaction and
 * {@link #commit} commits it (several batches at once) and deletes the files. Counters are read by
 * other threads, hence the locks and volatiles.
 */
final class SpoolIngester {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolIngester.class);

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

  /**
   * A batch whose segments are durable (acknowledged) and wait for their DuckDB transaction. When
   * its events could not be written ({@code spoolFailure}, counted as failed already), the process
   * segment still goes in, so that the events of later batches join their processes.
   */
  record Spooled(
      SealedBatch sealed,
      VectorSchemaRoot processRoot,
      SegmentName processName,
      Path processFile,
      SegmentName eventName,
      Path eventFile,
      SinkException spoolFailure)
      implements AutoCloseable {
    @Override
    public void close() {
      if (processRoot != null) {
        processRoot.close();
      }
      sealed.close();
    }
  }

  /** Stage one (spool thread): writes and fsyncs the segments, then acknowledges them. */
  Spooled spool(SealedBatch sealed) {
    VectorSchemaRoot processRoot = null;
    SegmentName processName = null;
    Path processFile = null;
    if (!sealed.processes().isEmpty()) {
      processRoot = ProcessBatch.of(allocator, sealed.processes());
      processName = new SegmentName(captureId, nextSeq++, SegmentTable.PROCESSES);
      try {
        processFile = write(processName, processRoot, 0, 0);
      } catch (SinkException e) {
        processRoot.close();
        // The batch's events go with it: counted as failed, or they would vanish uncounted.
        countFailed(sealed.events());
        throw e;
      }
    }
    EventBatch events = sealed.events();
    SegmentName eventName = null;
    Path eventFile = null;
    if (events != null && events.rowCount() > 0) {
      eventName = new SegmentName(captureId, nextSeq++, SegmentTable.EVENTS);
      try {
        eventFile = write(eventName, events.sealed(), events.minTimeNs(), events.maxTimeNs());
      } catch (SinkException e) {
        countFailed(events);
        if (processRoot != null) {
          // The processes are durable: the ingest thread inserts them anyway (this thread never
          // touches the connection) so that their events from later batches join.
          return new Spooled(sealed, processRoot, processName, processFile, null, null, e);
        }
        throw e;
      }
    }
    return new Spooled(sealed, processRoot, processName, processFile, eventName, eventFile, null);
  }

  private void countFailed(EventBatch events) {
    if (events == null || events.rowCount() == 0) {
      return;
    }
    long[] counts = events.typeCounts();
    synchronized (this) {
      for (int t = 0; t < counts.length; t++) {
        failed[t] += counts[t];
      }
      eventsFailed += events.rowCount();
    }
  }

  /**
   * What one batch put into the open transaction: its counts and files for {@link #commit}, and the
   * spool failure that lost its events, if one did.
   */
  record Inserted(long[] typeCounts, int rows, List<Path> files, SinkException spoolFailure) {}

  /**
   * Stage two (ingest thread): inserts the batch's segments, each with its ledger entry, into the
   * transaction this connection has open (opening one if none is): several batches then commit as
   * one, see {@link IngestOptions#commitRows}. On failure the caller rolls back ({@link
   * #rollback}): the segments stay in the spool for the next open.
   */
  Inserted insert(Spooled spooled) {
    try {
      if (connection.getAutoCommit()) {
        connection.setAutoCommit(false);
      }
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot begin a DuckDB transaction: " + e.getMessage(), e);
    }
    List<Path> files = new ArrayList<>(2);
    if (spooled.processName() != null) {
      insertSegment(spooled.processName(), spooled.processRoot(), spooled.processFile());
      files.add(spooled.processFile());
    }
    if (spooled.eventName() == null) {
      return new Inserted(new long[0], 0, files, spooled.spoolFailure());
    }
    EventBatch events = spooled.sealed().events();
    insertSegment(spooled.eventName(), events.sealed(), spooled.eventFile());
    files.add(spooled.eventFile());
    return new Inserted(events.typeCounts(), events.rowCount(), files, null);
  }

  /**
   * Commits the open transaction: the inserted batches are stored, their segment files go and the
   * counters count them. A failed commit rolls back and throws; the segments stay in the spool.
   */
  void commit(List<Inserted> group) {
    try {
      connection.commit();
    } catch (SQLException e) {
      rollback();
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "committing "
              + group.size()
              + " spool segments into DuckDB failed ("
              + e.getMessage()
              + "); the segments are kept and are ingested the next time the store is opened",
          e);
    }
    restoreAutoCommit();
    for (Inserted inserted : group) {
      inserted.files().forEach(Spool::delete);
      if (inserted.rows() == 0) {
        continue;
      }
      synchronized (this) {
        long[] counts = inserted.typeCounts();
        for (int t = 0; t < counts.length; t++) {
          stored[t] += counts[t];
        }
        eventsStored += inserted.rows();
        batchesStored++;
      }
    }
  }

  /** Rolls the open transaction back (nothing of it is stored; its segments stay in the spool). */
  void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.warn("tracefix: rolling back a DuckDB transaction failed: {}", e.getMessage());
    }
    restoreAutoCommit();
  }

  private void restoreAutoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.warn("tracefix: {}", e.getMessage());
    }
  }

  private Path write(SegmentName name, VectorSchemaRoot root, long minNs, long maxNs) {
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
              + name.table().tableName()
              + " rows were dropped and counted in capture_stats. The database and the segments"
              + " acknowledged before are intact; free space in "
              + spoolDir,
          e);
    }
    onDurable.accept(
        new SpoolAck(name.id(), name.table().tableName(), root.getRowCount(), minNs, maxNs, file));
    return file;
  }

  private void insertSegment(SegmentName name, VectorSchemaRoot root, Path file) {
    try {
      SegmentIngest.insert(connection, allocator, name, host, root);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "inserting spool segment "
              + file
              + " into DuckDB failed ("
              + e.getMessage()
              + "); the segment is kept and is ingested the next time the store is opened",
          e);
    }
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
