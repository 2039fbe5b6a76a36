package dev.tracefix.sink;

import dev.tracefix.capture.SafeProcess;
import dev.tracefix.sink.arrow.EventBatch;
import java.util.List;

/**
 * A closed batch on its way to the spool: events (possibly none) and the processes first seen
 * before them. {@link #STOP} tells the ingest thread to finish.
 */
record SealedBatch(EventBatch events, List<SafeProcess> processes) implements AutoCloseable {
  static final SealedBatch STOP = new SealedBatch(null, List.of());

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
  }
}
