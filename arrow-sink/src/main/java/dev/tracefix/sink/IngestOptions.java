package dev.tracefix.sink;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a {@link CaptureWriter} batches and queues events.
 *
 * @param batchRows a batch closes when it holds this many events...
 * @param maxBatchDelay ...or when its first event is this old
 * @param queueBatches closed batches that may wait for the spool; when the queue is full the next
 *     batch is dropped and counted in {@code capture_stats.dropped}, so capture never waits
 * @param onDurable called on the ingest thread once a segment is fsynced, before it is inserted:
 *     from then on the batch survives a crash
 * @param commitRows batches are inserted into one open DuckDB transaction, committed once it holds
 *     this many rows, once its first batch is twice {@code maxBatchDelay} old (so at 100 000
 *     events/s a group fills DuckDB's row group), or when a caller waits for the store ({@code
 *     flush}, {@code finish}, {@code close}); a batch counts as stored (and its segment file is
 *     deleted) at that commit
 */
public record IngestOptions(
    int batchRows,
    Duration maxBatchDelay,
    int queueBatches,
    Consumer<SpoolAck> onDurable,
    int commitRows) {
  /**
   * DuckDB's row group: a transaction that appends at least this many rows writes them compressed
   * straight into the database file, where a smaller one writes them to the WAL first and again at
   * the next checkpoint (which also rewrites the last, partly filled row group). Measured: 1 to 2
   * µs less CPU per event ({@code bench/ingest-stages.sh}, BENCHMARKS.md "Capture agent cost").
   */
  public static final int DUCKDB_ROW_GROUP_ROWS = 122_880;

  public static final IngestOptions DEFAULT =
      new IngestOptions(
          EventStore.DEFAULT_BATCH_ROWS,
          Duration.ofSeconds(1),
          8,
          ack -> {},
          DUCKDB_ROW_GROUP_ROWS);

  /**
   * Rows per batch of {@link #STREAMING}: 15 Ki rather than 16 Ki because Arrow rounds each buffer
   * up to a power of two and a column's validity bits share a buffer with its values or offsets, so
   * at 16 Ki rows every number and offset buffer would be twice the size it needs.
   */
  public static final int STREAMING_BATCH_ROWS = 15 * 1024;

  /**
   * For a capture agent left running beside a service: about a quarter of {@link #DEFAULT}'s rows
   * per batch, so the Arrow memory in flight (the open batch, the queue, the batches being spooled
   * and inserted; a few MiB per batch of socket records) stays a small part of the agent's resident
   * memory. At 100 000 events/s that is six or seven DuckDB transactions a second, and the queue
   * holds about 1.2 s of events while DuckDB stalls (a checkpoint) before it drops.
   */
  public static final IngestOptions STREAMING = DEFAULT.withBatchRows(STREAMING_BATCH_ROWS);

  public IngestOptions {
    if (batchRows <= 0) {
      throw new SinkException(
          SinkException.Kind.USER, "batchRows must be positive, was " + batchRows);
    }
    if (maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
      throw new SinkException(
          SinkException.Kind.USER, "maxBatchDelay must be positive, was " + maxBatchDelay);
    }
    if (commitRows <= 0) {
      throw new SinkException(
          SinkException.Kind.USER, "commitRows must be positive, was " + commitRows);
    }
    if (queueBatches <= 0) {
      throw new SinkException(
          SinkException.Kind.USER, "queueBatches must be positive, was " + queueBatches);
    }
  }

  public IngestOptions withBatchRows(int rows) {
    return new IngestOptions(rows, maxBatchDelay, queueBatches, onDurable, commitRows);
  }

  public IngestOptions withMaxBatchDelay(Duration delay) {
    return new IngestOptions(batchRows, delay, queueBatches, onDurable, commitRows);
  }

  public IngestOptions withQueueBatches(int batches) {
    return new IngestOptions(batchRows, maxBatchDelay, batches, onDurable, commitRows);
  }

  public IngestOptions withOnDurable(Consumer<SpoolAck> listener) {
    return new IngestOptions(batchRows, maxBatchDelay, queueBatches, listener, commitRows);
  }

  public IngestOptions withCommitRows(int rows) {
    return new IngestOptions(batchRows, maxBatchDelay, queueBatches, onDurable, rows);
  }
}
