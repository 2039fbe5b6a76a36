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
 */
public record IngestOptions(
    int batchRows, Duration maxBatchDelay, int queueBatches, Consumer<SpoolAck> onDurable) {
  public static final IngestOptions DEFAULT =
      new IngestOptions(EventStore.DEFAULT_BATCH_ROWS, Duration.ofSeconds(1), 8, ack -> {});

  public IngestOptions {
    if (batchRows <= 0) {
      throw new SinkException(
          SinkException.Kind.USER, "batchRows must be positive, was " + batchRows);
    }
    if (maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
      throw new SinkException(
          SinkException.Kind.USER, "maxBatchDelay must be positive, was " + maxBatchDelay);
    }
    if (queueBatches <= 0) {
      throw new SinkException(
          SinkException.Kind.USER, "queueBatches must be positive, was " + queueBatches);
    }
  }

  public IngestOptions withBatchRows(int rows) {
    return new IngestOptions(rows, maxBatchDelay, queueBatches, onDurable);
  }

  public IngestOptions withMaxBatchDelay(Duration delay) {
    return new IngestOptions(batchRows, delay, queueBatches, onDurable);
  }

  public IngestOptions withQueueBatches(int batches) {
    return new IngestOptions(batchRows, maxBatchDelay, batches, onDurable);
  }

  public IngestOptions withOnDurable(Consumer<SpoolAck> listener) {
    return new IngestOptions(batchRows, maxBatchDelay, queueBatches, listener);
  }
}
