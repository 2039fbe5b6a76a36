package dev.tracefix.sink;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.SyscallStat;
import dev.tracefix.capture.TriggerFiring;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.sink.arrow.EventBatch;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one capture's safe events and stores them durably. The capture thread only appends to an
 * Arrow batch; a batch closes at {@link IngestOptions#batchRows} events or after {@link
 * IngestOptions#maxBatchDelay}, and goes through a bounded queue to this writer's ingest thread,
 * which writes it as a spool segment (fsynced: acknowledged), inserts it into DuckDB together with
 * its segment id, and commits several batches in one transaction ({@link
 * IngestOptions#commitRows}), then deletes their segments. A full queue drops the batch and counts
 * it in {@code capture_stats}: {@link #onEvents} never waits for disk or database.
 *
 * <p>Owns its own DuckDB connection, Arrow allocator and thread; {@link #close} releases them.
 * Closing without {@link #finish} still stores what was buffered and leaves the capture's {@code
 * ended_at} NULL, which marks it as incomplete.
 */
public final class CaptureWriter implements SafeEventSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureWriter.class);

  private final DuckDBConnection connection;
  private final BufferAllocator allocator;
  private final Path dbFile;
  private final String captureId;
  private final IngestOptions options;
  private final BlockingQueue<SealedBatch> queue;
  private final SpoolIngester ingester;
  private final Thread thread;
  private final Thread ingestThread;
  private final java.util.function.LongSupplier storeMemory;

  /** Durable batches between the spool thread and the ingest thread, in order. */
  private final BlockingQueue<SpoolIngester.Spooled> durable = new ArrayBlockingQueue<>(2);

  private static final SpoolIngester.Spooled STOP_INGEST =
      new SpoolIngester.Spooled(SealedBatch.STOP, null, null, null, null, null, null);

  /** Callers waiting in {@link #awaitStored}: the ingest thread commits at once for them. */
  private volatile int waiters;

  private final long[] produced = new long[EventType.values().length];
  private final long[] dropped = new long[EventType.values().length];
  private final List<SafeProcess> pendingProcesses = new ArrayList<>();
  private final SideRows sideRows = new SideRows();
  private EventBatch batch;

  /** The last interval's aggregate rows could not be stored (a warning was logged). */
  private boolean sideRowsFailing;

  private long batchOpenedNanos;
  private int inFlight;
  private SinkException unreported;

  /** The first spool or ingest failure's cause, for the captures row's {@code loss}. */
  private String firstFailure;

  /** Whether the latest spool write failed (e.g. the disk is full now); the next success clears. */
  private volatile boolean spoolFailing;

  /**
   * The spool as it stands, for live metrics while the capture runs.
   *
   * @param eventsLost events lost so far on failed spool writes or ingests
   * @param failing the latest spool write failed: the condition holds now
   * @param firstFailure the first failure's cause, or null
   * @param bufferedBytes Arrow memory (off the Java heap) this writer holds now: the open batch and
   *     the closed ones on their way to the spool and DuckDB
   * @param storeMemoryBytes what DuckDB's buffer manager holds for the store now; -1 if unknown
   */
  public record SpoolHealth(
      long eventsLost,
      boolean failing,
      String firstFailure,
      long bufferedBytes,
      long storeMemoryBytes) {}

  /** The spool's health now; safe to call from any thread while the capture runs. */
  public SpoolHealth spoolHealth() {
    String first;
    synchronized (this) {
      first = firstFailure;
    }
    return new SpoolHealth(
        ingester.eventsFailed(),
        spoolFailing,
        first,
        allocator.getAllocatedMemory(),
        storeMemory.getAsLong());
  }

  private boolean finished;
  private boolean closed;

  CaptureWriter(
      DuckDBConnection connection,
      BufferAllocator allocator,
      Path dbFile,
      Path spoolDir,
      String captureId,
      String host,
      IngestOptions options,
      java.util.function.LongSupplier storeMemory) {
    this.connection = connection;
    this.storeMemory = storeMemory;
    this.allocator = allocator;
    this.dbFile = dbFile;
    this.captureId = captureId;
    this.options = options;
    this.queue = new ArrayBlockingQueue<>(options.queueBatches());
    this.ingester =
        new SpoolIngester(connection, allocator, spoolDir, captureId, host, options.onDurable());
    this.thread =
        Thread.ofPlatform().name("tracefix-spool-" + captureId).daemon().unstarted(this::run);
    this.ingestThread =
        Thread.ofPlatform()
            .name("tracefix-ingest-" + captureId)
            .daemon()
            .unstarted(this::runIngest);
    thread.start();
    ingestThread.start();
  }

  public String captureId() {
    return captureId;
  }

  @Override
  public synchronized void onProcess(SafeProcess process) {
    ensureOpen();
    pendingProcesses.add(process);
  }

  /**
   * Keeps the stack until the next commit point ({@link #flush}, {@link #finish}, {@link #close}):
   * stacks are few, and the connection belongs to the ingest thread until then.
   */
  @Override
  public synchronized void onStack(SafeStack stack) {
    ensureOpen();
    sideRows.add(stack);
  }

  /** Keeps a trigger firing for {@code trigger_firings} until the next commit point, as stacks. */
  @Override
  public synchronized void onTriggerFiring(TriggerFiring firing) {
    ensureOpen();
    sideRows.add(firing);
  }

  /**
   * Stores syscall aggregates in {@code syscall_stats} as they arrive (once per interval) when no
   * batch is in flight, else at the next interval or commit point. They are default mode's main
   * data: held until the capture ends they would grow in memory for its whole length and be lost
   * with it to a crash. Never waits, so the capture thread goes back to the ring at once.
   */
  @Override
  public synchronized void onSyscallStats(List<SyscallStat> rows) {
    ensureOpen();
    sideRows.add(rows);
    if (inFlight == 0) {
      // Holding the monitor with nothing in flight keeps the ingest thread off the connection.
      try {
        sideRows.write(connection, captureId);
        if (sideRowsFailing) {
          sideRowsFailing = false;
          LOG.info("capture {}: aggregate rows are stored again", captureId);
        }
      } catch (SQLException e) {
        // Rolled back and still pending: the next interval tries again, and the capture's end
        // (finish, flush or close) reports the failure if it persists. Said once per streak, not
        // every interval.
        if (!sideRowsFailing) {
          sideRowsFailing = true;
          LOG.warn(
              "capture {}: storing aggregate rows failed, kept to retry: {}",
              captureId,
              e.getMessage());
        }
      }
    }
  }

  /**
   * Inserts the pending stacks and firings. Waits (releasing the monitor) until no batch is in
   * flight; holding the monitor after that keeps the capture thread from sealing a new one, so the
   * ingest thread leaves the connection alone meanwhile.
   */
  private synchronized void writeSideRows() {
    awaitStored();
    try {
      sideRows.write(connection, captureId);
    } catch (SQLException e) {
      throw failure("storing the stacks and trigger firings of capture " + captureId, e);
    }
  }

  @Override
  public synchronized void onEvents(List<SafeEvent> events) {
    ensureOpen();
    for (SafeEvent event : events) {
      if (batch == null) {
        batch = new EventBatch(allocator, options.batchRows());
        batchOpenedNanos = System.nanoTime();
      }
      batch.add(event);
      produced[event.type().ordinal()]++;
      if (batch.rowCount() >= options.batchRows()) {
        seal();
      }
    }
  }

  /**
   * Stores everything buffered and records the capture's summary and per-type counts. The row is
   * the one {@link EventStore#beginCapture} created: this writer's capture id names the capture in
   * the store (its events already carry it), whatever id capture chose for its own summary. Throws
   * the first ingest failure (a full disk, say) after recording what was stored.
   */
  public void finish(CaptureSummary summary) {
    synchronized (this) {
      ensureOpen();
      if (finished) {
        throw new SinkException(
            SinkException.Kind.USER, "capture " + captureId + " is already finished");
      }
    }
    sealAndWait();
    awaitStored();
    writeSideRows();
    synchronized (this) {
      Loss loss = countLoss(summary.dropCount(), aggregateOverflow(summary));
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE captures SET started_at = ?, ended_at = ?, probes = ?, event_count = ?,"
                  + " drop_count = ?, key_id = ?, command_exit_code = ?,"
                  + " key_ids = coalesce(key_ids, [?]), boot_id = ?, clock_offset_ns = ?,"
                  + " loss = ? WHERE capture_id = ?")) {
        update.setObject(1, utc(summary.startedAt()));
        update.setObject(2, utc(summary.endedAt()));
        update.setArray(3, connection.createArrayOf("VARCHAR", summary.probes().toArray()));
        // What the row says was stored is what the events table holds, not what was delivered.
        update.setLong(4, loss.stored());
        update.setLong(5, loss.lost());
        update.setString(6, summary.keyId());
        update.setInt(7, summary.commandExitCode());
        update.setString(8, summary.keyId());
        update.setString(9, summary.bootIdHash());
        if (summary.clockOffsetNs() == null) {
          update.setNull(10, java.sql.Types.BIGINT);
        } else {
          update.setLong(10, summary.clockOffsetNs());
        }
        update.setString(11, loss.text());
        update.setString(12, captureId);
        update.executeUpdate();
      } catch (SQLException e) {
        throw failure("recording the summary of capture " + captureId, e);
      }
      writeStats(summary.stats());
      finished = true;
      recorded = loss;
      SinkException e = unreported;
      unreported = null;
      if (e != null) {
        throw new SinkException(
            e.kind(),
            "capture "
                + captureId
                + " stored "
                + loss.stored()
                + " events; "
                + loss.text()
                + " (recorded in its captures row, column loss). First error: "
                + e.getMessage(),
            e);
      }
    }
  }

  /**
   * What a finished capture stored and lost.
   *
   * @param stored events committed to the {@code events} table
   * @param lost events lost on the way: in the kernel's ring buffer, in a full ingest queue, in a
   *     failed spool write
   * @param text the captures row's {@code loss}: what was lost and why; null when nothing was
   */
  public record Loss(long stored, long lost, String text) {}

  private Loss recorded;

  /** What {@link #finish} recorded; empty before it ran. */
  public synchronized java.util.Optional<Loss> loss() {
    return java.util.Optional.ofNullable(recorded);
  }

  /** Counts this writer's losses by cause; {@code kernelDropped} comes from the capture summary. */
  /** Calls the in-kernel aggregates could not count because their map was full. */
  private static long aggregateOverflow(CaptureSummary summary) {
    return summary.stats().stream()
        .filter(t -> t.type().equals(Capture.AGGREGATES))
        .mapToLong(TypeStats::dropped)
        .sum();
  }

  private Loss countLoss(long kernelDropped, long aggregateOverflow) {
    long delivered = 0;
    long queueDropped = 0;
    for (int t = 0; t < produced.length; t++) {
      delivered += produced[t];
      queueDropped += dropped[t];
    }
    long stored = ingester.eventsStored();
    long spoolFailed = ingester.eventsFailed();
    long waiting = Math.max(0, delivered - stored - queueDropped - spoolFailed);
    long lost = kernelDropped + queueDropped + spoolFailed;
    List<String> causes = new ArrayList<>();
    if (kernelDropped > 0) {
      causes.add(kernelDropped + " in the kernel (ring buffer full)");
    }
    if (queueDropped > 0) {
      causes.add(queueDropped + " in a full ingest queue (the disk or DuckDB fell behind)");
    }
    if (spoolFailed > 0) {
      causes.add(spoolFailed + " on failed spool writes (" + firstFailure + ")");
    }
    String text = null;
    if (lost > 0) {
      text =
          lost
              + " of "
              + (delivered + kernelDropped)
              + " events lost: "
              + String.join("; ", causes);
    }
    if (aggregateOverflow > 0) {
      text =
          (text == null ? "" : text + "; ")
              + aggregateOverflow
              + " system calls seen but not counted in syscall_stats (the kernel's aggregate map was"
              + " full)";
    }
    if (waiting > 0) {
      text =
          (text == null ? "" : text + "; ")
              + waiting
              + " events spooled but not inserted ("
              + firstFailure
              + "); they are stored the next time the database is opened";
    }
    return new Loss(stored, lost, text);
  }

  /** Records session, policy hash and file, key ids and attestation in this capture's row. */
  public synchronized void recordProvenance(CaptureProvenance provenance) {
    ensureOpen();
    awaitStored(); // the ingest thread owns the connection while a batch is in flight
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE captures SET session_id = ?, policy_hash = ?, policy_source = ?, key_ids = ?,"
                + " attestation = ? WHERE capture_id = ?")) {
      update.setString(1, provenance.sessionId());
      update.setString(2, provenance.policyHash());
      update.setString(3, provenance.policySource());
      update.setArray(
          4,
          provenance.keyIds() == null
              ? null
              : connection.createArrayOf("VARCHAR", provenance.keyIds().toArray()));
      update.setString(5, provenance.attestation());
      update.setString(6, captureId);
      update.executeUpdate();
    } catch (SQLException e) {
      throw failure("recording the provenance of capture " + captureId, e);
    }
  }

  /** Closes the open batch (even if small) and waits until every closed batch is committed. */
  public void flush() {
    synchronized (this) {
      ensureOpen();
    }
    sealAndWait();
    awaitStored();
    writeSideRows();
    synchronized (this) {
      throwUnreported();
    }
  }

  /** Waits until every closed batch is committed (or failed); the open batch keeps filling. */
  public synchronized void awaitStored() {
    if (inFlight == 0) {
      return;
    }
    waiters++; // the ingest thread commits what it holds instead of waiting for more rows
    try {
      while (inFlight > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SinkException(
              SinkException.Kind.INTERNAL, "interrupted waiting for capture " + captureId);
        }
      }
    } finally {
      waiters--;
    }
  }

  /** Closed batches not yet committed (queued or being ingested). */
  public synchronized int batchesInFlight() {
    return inFlight;
  }

  /** Events committed to DuckDB so far. */
  public long eventsStored() {
    return ingester.eventsStored();
  }

  /** Event batches (transactions) committed so far. */
  public long batchesStored() {
    return ingester.batchesStored();
  }

  /** Events dropped so far because the queue was full or the spool could not be written. */
  public synchronized long eventsDropped() {
    long total = 0;
    for (long d : dropped) {
      total += d;
    }
    return total + ingester.eventsFailed();
  }

  /** Whether {@link #close} has finished: nothing of this capture is written any more. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    try {
      boolean store;
      synchronized (this) {
        store = !finished;
      }
      if (store) {
        sealAndWait();
      }
      awaitStored();
      if (store) {
        writeSideRows();
      }
    } finally {
      stopThread();
      synchronized (this) {
        closed = true;
        try {
          if (!finished) {
            writeStats(List.of());
          }
        } finally {
          if (batch != null) {
            batch.close();
            batch = null;
          }
          allocator.close();
          try {
            connection.close();
          } catch (SQLException e) {
            throw failure("closing the connection of capture " + captureId, e);
          }
        }
        if (!finished) {
          throwUnreported();
        }
      }
    }
  }

  /**
   * From the capture thread: hands the open batch and pending processes to the ingest thread, or,
   * when the queue is full, drops the events (counted); processes stay pending so the next batch
   * carries them.
   */
  private void seal() {
    SealedBatch sealed = detach();
    if (sealed == null) {
      return;
    }
    if (queue.offer(sealed)) {
      inFlight++;
      return;
    }
    long[] counts = sealed.events() == null ? new long[0] : sealed.events().typeCounts();
    for (int t = 0; t < counts.length; t++) {
      dropped[t] += counts[t];
    }
    pendingProcesses.addAll(0, sealed.processes());
    sealed.close();
  }

  /**
   * When finishing: hands over everything buffered, waiting for room in the queue. The monitor is
   * not held while waiting, since the ingest thread takes it after every batch.
   */
  private void sealAndWait() {
    SealedBatch sealed;
    synchronized (this) {
      sealed = detach();
      if (sealed == null) {
        return;
      }
      inFlight++;
    }
    try {
      queue.put(sealed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sealed.close();
      synchronized (this) {
        inFlight--;
        notifyAll();
      }
      throw new SinkException(
          SinkException.Kind.INTERNAL, "interrupted storing capture " + captureId);
    }
  }

  private synchronized SealedBatch detach() {
    boolean noEvents = batch == null || batch.rowCount() == 0;
    if (noEvents && pendingProcesses.isEmpty()) {
      return null;
    }
    SealedBatch sealed = new SealedBatch(noEvents ? null : batch, List.copyOf(pendingProcesses));
    if (noEvents && batch != null) {
      batch.close();
    }
    batch = null;
    pendingProcesses.clear();
    return sealed;
  }

  /** The spool thread: closes batches on time, writes and fsyncs segments in order. */
  private void run() {
    long delayNanos = options.maxBatchDelay().toNanos();
    try {
      while (true) {
        SealedBatch next = queue.poll(Math.max(1, delayNanos / 4), TimeUnit.NANOSECONDS);
        if (next == null) {
          sealIfDue(delayNanos);
          continue;
        }
        if (next == SealedBatch.STOP) {
          return;
        }
        SpoolIngester.Spooled spooled;
        try {
          spooled = ingester.spool(next);
        } catch (SinkException e) {
          spoolFailing = true;
          next.close();
          done(e);
          continue;
        }
        spoolFailing = spooled.spoolFailure() != null;
        durable.put(spooled);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        durable.put(STOP_INGEST);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The ingest thread: inserts durable batches in the order written into one open DuckDB
   * transaction, and commits it once it holds {@link IngestOptions#commitRows} rows, once its first
   * batch is twice {@link IngestOptions#maxBatchDelay} old, when someone waits for the store, or at
   * the end. A failed insert or commit rolls back the whole group: its segments stay in the spool
   * and are ingested the next time the store is opened.
   */
  private void runIngest() {
    List<SpoolIngester.Inserted> group = new ArrayList<>();
    long groupRows = 0;
    long groupStarted = 0;
    long delayNanos = options.maxBatchDelay().toNanos();
    long pollNanos = Math.max(1, Math.min(delayNanos / 4, TimeUnit.MILLISECONDS.toNanos(20)));
    while (true) {
      SpoolIngester.Spooled next;
      try {
        next = group.isEmpty() ? durable.take() : durable.poll(pollNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        next = STOP_INGEST;
      }
      boolean stop = next == STOP_INGEST;
      if (next != null && !stop) {
        try (SpoolIngester.Spooled batch = next) {
          SpoolIngester.Inserted inserted = ingester.insert(batch);
          if (group.isEmpty()) {
            groupStarted = System.nanoTime();
          }
          group.add(inserted);
          groupRows += inserted.rows();
        } catch (SinkException e) {
          ingester.rollback();
          for (int i = 0; i < group.size(); i++) {
            done(e);
          }
          group.clear();
          groupRows = 0;
          done(e); // the batch that failed
          continue;
        }
      }
      boolean due =
          stop
              || groupRows >= options.commitRows()
              || waiters > 0
              || System.nanoTime() - groupStarted >= 2 * delayNanos;
      if (!group.isEmpty() && due) {
        SinkException failure = null;
        try {
          ingester.commit(group);
        } catch (SinkException e) {
          failure = e;
        }
        for (SpoolIngester.Inserted inserted : group) {
          done(failure != null ? failure : inserted.spoolFailure());
        }
        group.clear();
        groupRows = 0;
      }
      if (stop) {
        return;
      }
    }
  }

  private void done(SinkException failure) {
    if (failure != null) {
      LOG.warn("tracefix: {}", failure.getMessage());
    }
    synchronized (this) {
      if (failure != null && unreported == null) {
        unreported = failure;
      }
      if (failure != null && firstFailure == null) {
        firstFailure =
            failure.getCause() == null ? failure.getMessage() : failure.getCause().toString();
      }
      inFlight--;
      notifyAll();
    }
  }

  private synchronized void sealIfDue(long delayNanos) {
    if (!closed && batch != null && System.nanoTime() - batchOpenedNanos >= delayNanos) {
      seal();
    }
  }

  private void stopThread() {
    try {
      queue.put(SealedBatch.STOP);
      thread.join();
      ingestThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Upserts this capture's {@code capture_stats}, merged with the kernel's when it has any. */
  private void writeStats(List<TypeStats> kernel) {
    long[] stored = ingester.storedByType();
    long[] failed = ingester.failedByType();
    long[] sinkDropped = new long[dropped.length];
    for (int t = 0; t < sinkDropped.length; t++) {
      sinkDropped[t] = dropped[t] + failed[t];
    }
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT OR REPLACE INTO capture_stats(capture_id, type, produced, stored, dropped,"
                + " sampled_out, stack_failures) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (CaptureStats.Row row : CaptureStats.merge(kernel, produced, stored, sinkDropped)) {
        upsert.setString(1, captureId);
        upsert.setString(2, row.type());
        upsert.setLong(3, row.produced());
        upsert.setLong(4, row.stored());
        upsert.setLong(5, row.dropped());
        upsert.setLong(6, row.sampledOut());
        upsert.setLong(7, row.stackFailures());
        upsert.addBatch();
      }
      upsert.executeBatch();
    } catch (SQLException e) {
      throw failure("recording the ingest counts of capture " + captureId, e);
    }
  }

  private void throwUnreported() {
    SinkException e = unreported;
    unreported = null;
    if (e != null) {
      throw e;
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
